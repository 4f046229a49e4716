import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthenticatedRequest, bearerToken } from '../common/auth/decorators';
import { ConsentRequiredError, UnauthorizedError } from '../common/errors';
import { needsConsent } from '../privacy/consent';
import type { Volunteer } from '../volunteers/volunteer.entity';
import { PortalAccess } from './portal-access';

/** The volunteer's own routes: the portal token from their personal link is the bearer token. */
@Injectable()
export class PortalGuard implements CanActivate {
  constructor(protected readonly access: PortalAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.enter(context);
    return true;
  }

  /** The volunteer of the bearer token, put on the request; else 401. */
  protected async enter(context: ExecutionContext): Promise<Volunteer> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    const volunteer = token ? await this.access.volunteerFor(token) : null;
    if (!volunteer) {
      throw new UnauthorizedError('Missing or invalid personal link');
    }
    request.volunteerId = volunteer.id;
    request.portalToken = token!;
    return volunteer;
  }
}

/**
 * The volunteer's own routes that use the record (bookings, the calendar link, materials,
 * evaluations): only after consent, as on the personal page. A person imported from a
 * spreadsheet gets 403 `consent_required` until `POST /api/v1/me/consent`. Reading
 * `GET /api/v1/me`, consenting, the export, withdrawing and asking for erasure stay
 * behind PortalGuard alone: those rights do not wait on consent.
 */
@Injectable()
export class ConsentedPortalGuard extends PortalGuard {
  constructor(access: PortalAccess) {
    super(access);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (needsConsent(await this.enter(context))) {
      throw new ConsentRequiredError();
    }
    return true;
  }
}
