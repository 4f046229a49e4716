import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { Actor } from '../common/auth/actor';
import { AuthenticatedRequest, bearerToken, ROLES_KEY } from '../common/auth/decorators';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import type { Role } from './staff-user.entity';
import { AuthService } from './auth.service';

declare module 'express-session' {
  interface SessionData {
    /** The user's session epoch when this session signed in (see StaffUser.sessionEpoch). */
    sessionEpoch?: number;
  }
}

/** The roles a route names (403 for any other); branch scope is the services'. */
function requireRole(reflector: Reflector, context: ExecutionContext, actor: Actor): void {
  const roles = reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
    context.getHandler(),
    context.getClass(),
  ]);
  if (roles && !roles.includes(actor.role)) {
    throw new ForbiddenError();
  }
}

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
    requireRole(this.reflector, context, request.actor);
    return true;
  }
}

/**
 * StaffGuard for the staff pages: the actor comes from the signed-in page session
 * instead of a bearer token (401 sends the browser to the login page).
 */
@Injectable()
export class StaffPageGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const userId = request.session?.userId;
    const actor = userId
      ? await this.auth.actorForSession(userId, request.session.sessionEpoch ?? 0)
      : null;
    if (!actor) {
      throw new UnauthorizedError('Sign in to see this page');
    }
    request.actor = actor;
    context.switchToHttp().getResponse<Response>().locals.actor = {
      ...actor,
      isAdmin: actor.role === 'admin',
    };
    requireRole(this.reflector, context, actor);
    return true;
  }
}
