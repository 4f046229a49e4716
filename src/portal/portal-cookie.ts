import type { Request, Response } from 'express';
import { cookieValue } from '../common/pages/web';
import { servesHttps } from '../common/security-headers';
import type { AppConfig } from '../config/env';
import type { PortalLinks } from './portal-links';

/**
 * The personal link this browser last opened, so that `/v` without a token (where
 * calendar events point, since a calendar must never carry the secret link) and an
 * expired link lead back to the personal page on a device the volunteer already used.
 * Only `/v` pages ever see it; it opens nothing by itself: the token is checked as if
 * it were in the address, and it lives no longer than an idle link does.
 */
const PORTAL_COOKIE = 'klar.portal';
const COOKIE_PATH = '/v';

export function rememberPortalLink(
  res: Response,
  token: string,
  config: Pick<AppConfig, 'publicUrl' | 'portalLinkIdleDays'>,
): void {
  res.cookie(PORTAL_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: servesHttps(config),
    path: COOKIE_PATH,
    maxAge: config.portalLinkIdleDays * 24 * 3600_000,
  });
}

export function forgetPortalLink(res: Response): void {
  res.clearCookie(PORTAL_COOKIE, { path: COOKIE_PATH });
}

/** The remembered token, if it looks like one (checking it is the caller's job). */
export function rememberedPortalLink(req: Request): string | undefined {
  const token = cookieValue(req, PORTAL_COOKIE);
  return token && /^[A-Za-z0-9_-]{16,200}$/.test(token) ? token : undefined;
}

/** The remembered link while it still opens the personal page, or null. */
export async function liveRememberedLink(
  req: Request,
  links: Pick<PortalLinks, 'volunteerIdFor'>,
): Promise<string | null> {
  const token = rememberedPortalLink(req);
  return token && (await links.volunteerIdFor(token)) ? token : null;
}
