import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AccountPagesController } from './account.pages.controller';
import { AuthApiController } from './auth.api.controller';
import { AuthPagesController } from './auth.pages.controller';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { StaffGuard, StaffPageGuard } from './staff.guard';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [AuthApiController, AuthPagesController, AccountPagesController],
  providers: [AuthService, UsersService, LoginLimiter, StaffGuard, StaffPageGuard],
  exports: [AuthService, UsersService, StaffGuard, StaffPageGuard],
})
export class AuthModule {}
