import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthApiController } from './auth.api.controller';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { StaffGuard } from './staff.guard';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [AuthApiController],
  providers: [AuthService, UsersService, LoginLimiter, StaffGuard],
  exports: [AuthService, UsersService, StaffGuard],
})
export class AuthModule {}
