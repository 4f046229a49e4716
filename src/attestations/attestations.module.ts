import { Module } from '@nestjs/common';
import { AttestationsPagesController } from './attestations.pages.controller';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { AttestationsApiController } from './attestations.api.controller';
import { AttestationsService } from './attestations.service';

@Module({
  imports: [AuditModule, AuthModule, ReadinessModule, VolunteersModule],
  controllers: [AttestationsApiController, AttestationsPagesController],
  providers: [AttestationsService],
  exports: [AttestationsService],
})
export class AttestationsModule {}
