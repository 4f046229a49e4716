import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CurriculumApiController } from './curriculum.api.controller';
import { CurriculumService } from './curriculum.service';

@Module({
  imports: [AuditModule, AuthModule],
  controllers: [CurriculumApiController],
  providers: [CurriculumService],
  exports: [CurriculumService],
})
export class CurriculumModule {}
