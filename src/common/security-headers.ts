import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { AppConfig } from '../config/env';

/** Whether people reach Klar over TLS (at the app or at a proxy in front of it). */
export const servesHttps = (config: Pick<AppConfig, 'publicUrl'>): boolean =>
  config.publicUrl.startsWith('https:');

/** Swagger UI's page, its script and style files, and the document it shows. */
const isApiDocs = (path: string): boolean => path.startsWith('/api/docs');

/**
 * Pages, the personal page and the API answers that hold personal data: no browser or
 * proxy keeps a copy (a back button after signing out, a shared computer).
 */
export function isPrivateRoute(path: string): boolean {
  return (
    path === '/v' ||
    path.startsWith('/v/') ||
    path === '/staff' ||
    path.startsWith('/staff/') ||
    path === '/api/v1/me' ||
    path.startsWith('/api/v1/me/')
  );
}

/**
 * helmet on every response. Pages load script and style only from Klar itself (no
 * inline code, so an injected `<script>` or `onerror=` does nothing), may not be framed,
 * and send no Referer: the personal page's URL is its password. HSTS only when the
 * public URL is https, or a plain-http install would lock its own browsers out.
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const { pages, docs } = helmets(config);
  return (req: Request, res: Response, next: NextFunction) => {
    if (isPrivateRoute(req.path)) {
      res.setHeader('Cache-Control', 'no-store');
    }
    (isApiDocs(req.path) ? docs : pages)(req, res, next);
  };
}

/**
 * The headers `securityHeaders` puts on a response outside Swagger UI and the private
 * routes, worked out once: helmet's are fixed strings, so a route answered ahead of the
 * middleware chain (/health) sends the very same ones without running helmet per call.
 */
export function fixedSecurityHeaders(config: AppConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name] = value),
    removeHeader: (name: string) => delete headers[name],
  };
  let done = false;
  helmets(config).pages({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error !== undefined) {
      throw new Error('helmet refused its own options', { cause: error });
    }
    done = true;
  });
  if (!done) {
    throw new Error('helmet no longer sets its headers at once');
  }
  return headers;
}

function helmets(config: AppConfig) {
  const https = servesHttps(config);
  const pageDirectives = {
    'default-src': ["'self'"],
    'base-uri': ["'none'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'upgrade-insecure-requests': https ? [] : null,
  };
  const options = (directives: typeof pageDirectives): HelmetOptions => ({
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
  const pages = helmet(options(pageDirectives));
  // Swagger UI's page carries inline <style> blocks and style attributes (its scripts
  // are files), so its own policy allows inline style and nothing else more.
  const docs = helmet(options({ ...pageDirectives, 'style-src': ["'self'", "'unsafe-inline'"] }));
  return { pages, docs };
}
