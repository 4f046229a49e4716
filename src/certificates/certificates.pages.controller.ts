import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import { NotFoundError } from '../common/errors';
import { PortalAccess } from '../portal/portal-access';
import { ConsentFirstFilter, consented } from '../portal/consent-first';
import { sendCertificate } from './certificate-response';
import { CertificatesService } from './certificates.service';

/**
 * The certificate behind the personal link, for the personal page's "Hent kursusbevis":
 * a browser following a link sends no bearer token, so the link's token is in the path.
 */
@ApiExcludeController()
@UseFilters(ConsentFirstFilter)
@Controller('v/:token/kursusbevis')
export class CertificatesPagesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly access: PortalAccess,
  ) {}

  @Get(':courseId')
  async certificate(
    @Param('token') token: string,
    @Param('courseId') courseId: string,
    @Res() res: Response,
  ) {
    const volunteer = token.length <= 200 ? await this.access.volunteerFor(token) : null;
    if (!volunteer || !isUUID(courseId)) {
      throw new NotFoundError('Certificate');
    }
    // An imported person is asked for consent before any personal page (MePagesController).
    await sendCertificate(
      res,
      await this.certificates.own(consented(volunteer, token).id, courseId),
    );
  }
}
