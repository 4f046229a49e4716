import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentVolunteerId } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { ConsentedPortalGuard } from '../portal/portal.guard';
import { CONSENT_REQUIRED } from '../privacy/consent';
import { sendCertificate } from './certificate-response';
import { CertificatesService } from './certificates.service';

/**
 * The volunteer's course certificate; the bearer token is their personal link's token.
 * After consent, as the certificate page.
 */
@ApiTags('me')
@ApiBearerAuth()
@UseGuards(ConsentedPortalGuard)
@ApiForbiddenResponse(CONSENT_REQUIRED)
@Controller('api/v1/me/certificates')
export class CertificatesApiController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':courseId')
  @ApiProduces('application/pdf')
  async certificate(
    @CurrentVolunteerId() volunteerId: string,
    @UuidParam('courseId') courseId: string,
    @Res() res: Response,
  ) {
    await sendCertificate(res, await this.certificates.own(volunteerId, courseId));
  }
}
