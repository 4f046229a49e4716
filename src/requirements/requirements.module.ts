import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { RequirementsApiController } from './requirements.api.controller';
import {
  RequirementsPagesController,
  VolunteerRequirementsPagesController,
} from './requirements.pages.controller';
import { RequirementsService } from './requirements.service';

/** Extra readiness requirements (issue 15 part 4) and confirmations as requirements (issue 13). */
@Module({
  imports: [AuditModule, AuthModule, ReadinessModule, VolunteersModule],
  controllers: [
    RequirementsApiController,
    RequirementsPagesController,
    VolunteerRequirementsPagesController,
  ],
  providers: [RequirementsService],
  exports: [RequirementsService],
})
export class RequirementsModule {}
