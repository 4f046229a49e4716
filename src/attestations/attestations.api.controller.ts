import { Body, Controller, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { toAttestationView } from '../volunteers/volunteer.view';
import { AttestationsService } from './attestations.service';
import { RecordAttestationDto } from './dto/record-attestation.dto';

@ApiTags('attestations')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/volunteers/:id/attestations')
export class AttestationsApiController {
  constructor(
    private readonly attestations: AttestationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  async record(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Body() dto: RecordAttestationDto,
  ) {
    const attestation = await this.attestations.record(actor, volunteerId, dto);
    return toAttestationView(attestation, this.config.attestationValidMonths);
  }
}
