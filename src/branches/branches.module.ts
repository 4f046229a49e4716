import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BranchesApiController } from './branches.api.controller';
import { BranchesPagesController } from './branches.pages.controller';
import { BranchesService } from './branches.service';
import { UsersPagesController } from './users.pages.controller';

@Module({
  imports: [AuditModule, AuthModule],
  controllers: [BranchesApiController, BranchesPagesController, UsersPagesController],
  providers: [BranchesService],
  exports: [BranchesService],
})
export class BranchesModule {}
