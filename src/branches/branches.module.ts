import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesApiController } from './branches.api.controller';
import { BranchesService } from './branches.service';

@Module({
  imports: [AuditModule, AuthModule],
  controllers: [BranchesApiController],
  providers: [BranchesService],
  exports: [BranchesService],
})
export class BranchesModule {}
