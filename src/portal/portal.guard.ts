import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthenticatedRequest, bearerToken } from '../common/auth/decorators';
import { UnauthorizedError } from '../common/errors';
import { PortalAccess } from './portal-access';

/** The volunteer's own routes: the portal token from their personal link is the bearer token. */
@Injectable()
export class PortalGuard implements CanActivate {
  constructor(private readonly access: PortalAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    const volunteer = token ? await this.access.volunteerFor(token) : null;
    if (!volunteer) {
      throw new UnauthorizedError('Missing or invalid personal link');
    }
    request.volunteerId = volunteer.id;
    request.portalToken = token!;
    return true;
  }
}
