import type { NestExpressApplication } from '@nestjs/platform-express';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/env';
import type { FieldError } from '../errors';
import { servesHttps } from '../security-headers';

export type Lang = 'da' | 'en';

/** A form's rejected submission, kept across the redirect back to its page. */
export interface FormState {
  form: string;
  errors: FieldError[];
  values: Record<string, unknown>;
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    flash?: string;
    formState?: FormState;
    /** The branch that will contact a visitor who just applied, for the thanks page. */
    appliedBranch?: string;
  }
}

/** A signed-in session lives this long after the last request. */
const SESSION_HOURS = 8;
/**
 * A visitor's session only carries a refused form's input or a notice across one
 * redirect, so it need not outlive a short pause.
 */
const VISITOR_SESSION_MINUTES = 15;

/**
 * Routes that never see a session or a form: the API, calendars, static files, health,
 * and the icon browsers fetch on their own (it would otherwise take the notice or the
 * refused form meant for the page a redirect leads to).
 */
export function isMachineRoute(path: string): boolean {
  return (
    path.startsWith('/api/') ||
    path.startsWith('/calendar/') ||
    path.startsWith('/static/') ||
    path === '/health' ||
    path === '/favicon.ico'
  );
}

/**
 * Signed-in staff keep their CSRF token in the session (a synchroniser token). A visitor
 * has no session row until one of their forms is refused, so that the login page and
 * the application form cost no row per GET; their token lives in a cookie the form must
 * echo (double submit). Another site cannot read the cookie, and over https the
 * `__Host-` prefix keeps a neighbouring subdomain from planting one.
 */
const visitorCsrfCookie = (req: Request) => (req.secure ? '__Host-klar.csrf' : 'klar.csrf');
const visitorTokens = new WeakMap<Request, string>();

function visitorToken(req: Request): string | undefined {
  const token = visitorTokens.get(req) ?? cookieValue(req, visitorCsrfCookie(req));
  return token && /^[0-9a-f]{64}$/.test(token) ? token : undefined;
}

function storeVisitorToken(req: Request, token: string | null | undefined): void {
  const name = visitorCsrfCookie(req);
  if (!token) {
    visitorTokens.delete(req);
    req.res?.clearCookie(name, { path: '/' });
    return;
  }
  // Kept for the rest of the request too: a page with several forms asks several times.
  visitorTokens.set(req, token);
  req.res?.cookie(name, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}

export const csrf = csrfSync({
  size: 32,
  getTokenFromRequest: (req: Request) => {
    const body = req.body as { _csrf?: unknown } | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
  getTokenFromState: (req: Request) =>
    req.session?.userId ? req.session.csrfToken : visitorToken(req),
  storeTokenInState: (req: Request, token) => {
    if (req.session?.userId) {
      req.session.csrfToken = token;
    } else {
      storeVisitorToken(req, token);
    }
  },
});

/**
 * Form bodies, sessions kept in `store`, the language cookie and what every page needs.
 * The store comes from the caller, so common/ does not reach into the auth module.
 */
export function configureWeb(app: NestExpressApplication, store: session.Store): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const db = app.get(DataSource);
  app.useBodyParser('urlencoded', { extended: true, limit: '100kb', parameterLimit: 2000 });

  const makeSessions = async (): Promise<RequestHandler> => {
    const [{ value }] = await db.query<{ value: string }[]>(
      `SELECT value FROM app_secret WHERE name = 'session'`,
    );
    return session({
      name: 'klar.sid',
      secret: value,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        // By the address people use, not NODE_ENV: a production install on plain http
        // would otherwise never get its cookie back, and every form would answer 403.
        secure: servesHttps(config),
        maxAge: SESSION_HOURS * 3600_000,
      },
    });
  };
  let sessions: Promise<RequestHandler> | undefined;
  const sessionsOnce = (): Promise<RequestHandler> =>
    (sessions ??= makeSessions().catch((error: unknown) => {
      // Not kept: a database that was down at the first page must not leave every page
      // failing until a restart; the next request tries again.
      sessions = undefined;
      throw error;
    }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isMachineRoute(req.path)) {
      return next();
    }
    sessionsOnce().then(
      (handler) =>
        handler(req, res, (error?: unknown) => {
          if (!error && !req.session.userId) {
            req.session.cookie.maxAge = VISITOR_SESSION_MINUTES * 60_000;
          }
          next(error);
        }),
      next,
    );
  });
  app.use(pageLocals);
}

/** Language, CSRF token, and the one-time notice after a redirect, for every page. */
function pageLocals(req: Request, res: Response, next: NextFunction): void {
  if (isMachineRoute(req.path)) {
    return next();
  }
  res.locals.lang = langOf(req);
  res.locals.path = req.originalUrl;
  // A function, so a token (and a session) is only made for pages that have a form.
  res.locals.csrfToken = () => csrf.generateToken(req);
  // Both are shown once: on the page the redirect after a POST leads to.
  res.locals.flash = req.session.flash;
  res.locals.formState = req.session.formState ?? null;
  delete req.session.flash;
  delete req.session.formState;
  next();
}

export function langOf(req: Request): Lang {
  return cookieValue(req, 'lang') === 'en' ? 'en' : 'da';
}

/** One cookie of the request (Klar's cookies hold plain tokens: nothing to decode). */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) {
      return pair.slice(at + 1).trim();
    }
  }
  return undefined;
}

/** Text for a message made in code, in the reader's language. */
export const inLang = (lang: Lang, da: string, en: string): string => (lang === 'en' ? en : da);

/** A local path to return to after a form, never "//elsewhere" or a full URL. */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
