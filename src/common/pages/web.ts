import type { NestExpressApplication } from '@nestjs/platform-express';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { DataSource } from 'typeorm';
import { DataSourceSessionStore } from '../../auth/session-store';
import { APP_CONFIG, type AppConfig } from '../../config/env';
import type { FieldError } from '../errors';

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
  }
}

const SESSION_HOURS = 8;

/** Routes that never see a session or a form: the API, calendars, static files, health. */
export function isMachineRoute(path: string): boolean {
  return (
    path.startsWith('/api/') ||
    path.startsWith('/calendar/') ||
    path.startsWith('/static/') ||
    path === '/health'
  );
}

export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const body = req.body as { _csrf?: unknown } | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
});

/** Form bodies, sessions in PostgreSQL, the language cookie and what every page needs. */
export function configureWeb(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const db = app.get(DataSource);
  app.useBodyParser('urlencoded', { extended: true, limit: '100kb', parameterLimit: 2000 });

  let sessions: Promise<RequestHandler> | undefined;
  const makeSessions = async (): Promise<RequestHandler> => {
    const [{ value }] = await db.query<{ value: string }[]>(
      `SELECT value FROM app_secret WHERE name = 'session'`,
    );
    return session({
      name: 'klar.sid',
      secret: value,
      store: new DataSourceSessionStore(db),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.env === 'production',
        maxAge: SESSION_HOURS * 3600_000,
      },
    });
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isMachineRoute(req.path)) {
      return next();
    }
    sessions ??= makeSessions();
    sessions.then((handler) => handler(req, res, next), next);
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
  const match = /(?:^|;\s*)lang=(da|en)(?:;|$)/.exec(req.headers.cookie ?? '');
  return match?.[1] === 'en' ? 'en' : 'da';
}

/** Text for a message made in code, in the reader's language. */
export const inLang = (lang: Lang, da: string, en: string): string => (lang === 'en' ? en : da);

/** A local path to return to after a form, never "//elsewhere" or a full URL. */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
