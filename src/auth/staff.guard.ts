import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from './staff-user.entity';
import { AuthenticatedRequest, bearerToken, ROLES_KEY } from '../common/auth/decorators';
import { ForbiddenError } from '../common/errors';
import { AuthService } from './auth.service';

/** Signed-in staff only (401), and only the roles a route names (403). Branch scope is the services'. */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor = await this.auth.authenticate(bearerToken(request));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenError();
    }
    return true;
  }
}
