import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, Role } from './actor';

export const ROLES_KEY = 'klar:roles';

/** Limits a staff route to these roles (default: any staff member). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  volunteerId?: string;
  portalToken?: string;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) {
    throw new Error('CurrentActor used on a route without StaffGuard');
  }
  return actor;
});

export const CurrentVolunteerId = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string => {
    const id = ctx.switchToHttp().getRequest<AuthenticatedRequest>().volunteerId;
    if (!id) {
      throw new Error('CurrentVolunteerId used on a route without PortalGuard');
    }
    return id;
  },
);

export function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

/** The personal-link token the volunteer came with (the calendar link derives from it). */
export const CurrentPortalToken = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string => {
    const token = ctx.switchToHttp().getRequest<AuthenticatedRequest>().portalToken;
    if (!token) {
      throw new Error('CurrentPortalToken used on a route without PortalGuard');
    }
    return token;
  },
);
