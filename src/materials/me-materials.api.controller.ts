import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { bearerToken, CurrentVolunteerId } from '../common/auth/decorators';
import { ConsentRequiredError, UnauthorizedError } from '../common/errors';
import { UuidParam } from '../common/validation';
import { PortalAccess } from '../portal/portal-access';
import { ConsentedPortalGuard } from '../portal/portal.guard';
import { CONSENT_REQUIRED, needsConsent } from '../privacy/consent';
import { SignedLinkQuery } from './dto/material.dto';
import { MaterialsService } from './materials.service';
import { APP_CONFIG, type AppConfig } from '../config/env';

/** The volunteer's materials (api.md, Learning); the bearer is the personal link's token. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me/materials')
export class MeMaterialsApiController {
  constructor(
    private readonly materials: MaterialsService,
    private readonly access: PortalAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  async list(@CurrentVolunteerId() volunteerId: string) {
    return (await this.materials.ownMaterials(volunteerId)).map(
      ({ id, title, topic, sessionId, downloadUrl, requiresConfirmation, confirmedAt }) => ({
        id,
        title,
        topic,
        sessionId,
        // Whole, as calendarUrl is: a client or a mail has no page to resolve a path against.
        downloadUrl: downloadUrl.startsWith('/')
          ? `${this.config.publicUrl}${downloadUrl}`
          : downloadUrl,
        requiresConfirmation,
        confirmedAt,
      }),
    );
  }

  /**
   * A download: by the signed link from the list (opens in a browser, no header), or
   * with the portal token as bearer. Neither is a 401; a bad signature a 404.
   */
  @Get(':id/file')
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  async download(
    @UuidParam('id') id: string,
    @Query() link: SignedLinkQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (link.sig && link.volunteer && link.expires) {
      return this.materials.streamSigned(
        id,
        { volunteer: link.volunteer, expires: link.expires, sig: link.sig },
        res,
      );
    }
    const token = bearerToken(req);
    const volunteer = token ? await this.access.volunteerFor(token) : null;
    if (!volunteer) {
      throw new UnauthorizedError('Missing or invalid personal link');
    }
    if (needsConsent(volunteer)) {
      throw new ConsentRequiredError();
    }
    return this.materials.streamForVolunteer(volunteer.id, id, res);
  }

  @Post(':id/confirm')
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  async confirm(
    @CurrentVolunteerId() volunteerId: string,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, confirmedAt, version } = await this.materials.confirm(volunteerId, id);
    res.status(created ? 201 : 200);
    return { confirmedAt, version };
  }
}
