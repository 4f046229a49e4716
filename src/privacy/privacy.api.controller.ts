import { Body, Controller, Delete, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentVolunteerId } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { PortalGuard } from '../portal/portal.guard';
import { VolunteersService } from '../volunteers/volunteers.service';
import { ConsentService } from './consent.service';
import { GiveConsentDto } from './dto/give-consent.dto';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';

/** Access and erasure on the staff side: the export of a person and "Slet personen". */
@ApiTags('volunteers')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/volunteers')
export class PrivacyApiController {
  constructor(
    private readonly exports: ExportService,
    private readonly erasure: ErasureService,
  ) {}

  @Get(':id/export')
  export(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return this.exports.forStaff(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async erase(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    await this.erasure.eraseInScope(actor, id);
  }
}

/** The volunteer's own rights, behind their personal link's token. */
@ApiTags('me')
@ApiBearerAuth()
@UseGuards(PortalGuard)
@Controller('api/v1/me')
export class PrivacyMeApiController {
  constructor(
    private readonly exports: ExportService,
    private readonly erasure: ErasureService,
    private readonly volunteers: VolunteersService,
    private readonly consent: ConsentService,
  ) {}

  /**
   * Consent for a person imported from a branch's spreadsheet, to the current text
   * version (else 400 on `textVersion`); given once, so asking again answers 201 with the
   * consent as first given.
   */
  @Post('consent')
  @HttpCode(201)
  giveConsent(@CurrentVolunteerId() volunteerId: string, @Body() dto: GiveConsentDto) {
    return this.consent.giveOwn(volunteerId, dto.textVersion);
  }

  @Get('export')
  export(@CurrentVolunteerId() volunteerId: string) {
    return this.exports.own(volunteerId);
  }

  @Post('withdraw')
  @HttpCode(200)
  async withdraw(@CurrentVolunteerId() volunteerId: string) {
    const { volunteer } = await this.volunteers.withdrawOwn(volunteerId);
    return { id: volunteer.id, status: volunteer.status, stage: volunteer.stage };
  }

  @Post('erasure-request')
  @HttpCode(202)
  async requestErasure(@CurrentVolunteerId() volunteerId: string) {
    await this.erasure.request(volunteerId);
    return { status: 'requested' };
  }
}
