import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { CurriculumApiController } from './curriculum.api.controller';
import { CurriculumPagesController } from './curriculum.pages.controller';
import { CurriculumRepositoryModule } from './curriculum.repository';
import { CurriculumService } from './curriculum.service';

@Module({
  imports: [AuditModule, AuthModule, CurriculumRepositoryModule, ReadinessModule],
  controllers: [CurriculumApiController, CurriculumPagesController],
  providers: [CurriculumService],
  exports: [CurriculumService],
})
export class CurriculumModule {}
