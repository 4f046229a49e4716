import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRetryableConflict } from '../database/database-errors';
import {
  ConsentRequiredError,
  DomainError,
  FieldError,
  InvalidInputError,
  TooManyRequestsError,
} from './errors';
import { redactForLog } from './log-redaction';
import { forReader, langOfAcceptLanguage, readersHalf } from './field-messages';
import { langOf } from './pages/web';
import { RequestValidationError } from './validation';

const RETRY_UNAVAILABLE_SECONDS = 5;

const STATUS_OF_KIND: Record<DomainError['kind'], number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
};

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  /** For machines, where a client acts on the kind of refusal (`consent_required`). */
  code?: string;
  correlationId?: string;
}

/**
 * The one place where errors become responses: JSON in the api.md shape for the API,
 * the error page for browser routes. Unknown errors are logged with a correlation id and
 * answered with a generic 500, never with their internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    // The API speaks the client's Accept-Language (English unless Danish comes first);
    // pages the reader's language switch.
    const json = wantsJson(request);
    const lang = json ? langOfAcceptLanguage(request.headers['accept-language']) : langOf(request);
    const body = this.toBody(exception, lang);
    if (body.statusCode === 503) {
      // Expected while the database is away; one line, not a stack per request.
      this.logger.warn(
        redactForLog(`${request.method} ${loggablePath(request.path)}: ${body.message}`),
      );
    } else if (body.statusCode >= 500) {
      body.correlationId = randomUUID();
      this.logger.error(
        `${request.method} ${loggablePath(request.path)} failed [${body.correlationId}]`,
        // An error's message can quote what it failed on (an address, a link, a token).
        redactForLog(exception instanceof Error ? (exception.stack ?? '') : String(exception)),
      );
    }
    if (exception instanceof TooManyRequestsError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (body.statusCode === 503 && !response.headersSent) {
      response.setHeader('Retry-After', String(RETRY_UNAVAILABLE_SECONDS));
    }
    if (response.headersSent) {
      return;
    }
    if (json) {
      response.status(body.statusCode).json(body);
    } else if (body.statusCode === 401) {
      // A staff page without a signed-in session: sign in, then come back.
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
    } else {
      response.status(body.statusCode);
      const [titleDa, titleEn] = STATUS_TITLES[body.statusCode] ?? [body.error, body.error];
      response.render('error', {
        layout: 'layouts/main',
        title: [titleDa, titleEn],
        titleDa,
        titleEn,
        // A rule's "Dansk. / English." text: on a page, only the reader's half.
        error: { ...body, message: readersHalf(body.message, lang) },
        retryAfterMinutes:
          exception instanceof TooManyRequestsError
            ? Math.ceil(exception.retryAfterSeconds / 60)
            : undefined,
      });
    }
  }

  private toBody(exception: unknown, lang: 'da' | 'en'): ErrorBody {
    if (exception instanceof RequestValidationError || exception instanceof InvalidInputError) {
      const errors = forReader(exception.errors, lang);
      return { ...make(400, errors.map((e) => e.message).join('; ')), errors };
    }
    if (exception instanceof ConsentRequiredError) {
      return { ...make(403, exception.message), code: exception.code };
    }
    if (exception instanceof DomainError) {
      return make(STATUS_OF_KIND[exception.kind], exception.message);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : ((payload as { message?: string | string[] }).message ?? exception.message);
      return make(status, Array.isArray(message) ? message.join('; ') : message);
    }
    if (isBodyParserError(exception)) {
      return exception.type === 'entity.parse.failed'
        ? make(400, 'The request body is not valid JSON')
        : make(exception.status, exception.message);
    }
    if (isDatabaseUnavailable(exception)) {
      return make(503, 'The database cannot be reached; please try again shortly');
    }
    if (isRetryableConflict(exception)) {
      // UnitOfWork.run already retried; what still conflicts is a busy moment, not a bug.
      return make(503, 'Too many changes at once; please try again');
    }
    // Safety nets: the database refused bad data that validation should have caught.
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string }).code;
      if (code === '23505') {
        return make(409, 'This conflicts with existing data');
      }
      if (code === '23514' || code === '22P02' || code === '22007' || code === '22008') {
        return make(400, 'A value is out of range or malformed');
      }
    }
    return make(500, 'Something went wrong on our side');
  }
}

function make(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function wantsJson(request: Request): boolean {
  const path = request.path;
  return (
    path.startsWith('/api/') ||
    path === '/health' ||
    path.endsWith('.ics') ||
    !request.accepts('html')
  );
}

function isBodyParserError(
  error: unknown,
): error is { type: string; status: number; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as { status: number }).status < 500
  );
}

/** The error page's heading, Danish and English, by status. */
const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['Oplysningerne kunne ikke bruges', 'What was sent could not be used'],
  403: ['Ingen adgang', 'No access'],
  404: ['Siden findes ikke', 'Page not found'],
  409: ['Det kan ikke lade sig gøre lige nu', 'That is not possible right now'],
  413: ['For stor', 'Too large'],
  429: ['For mange forespørgsler', 'Too many requests'],
  500: ['Der skete en fejl', 'Something went wrong'],
  503: ['Klar kan ikke svare lige nu', 'Klar cannot answer right now'],
};

/**
 * A request path fit for a log line: a personal link, calendar feed or reset link carries
 * its secret token in the path, so any long token-like segment is blanked (ids, which are
 * UUIDs, stay: they say which record without opening it).
 */
export function loggablePath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      TOKEN_LIKE.test(segment) && /[0-9A-Z_]/.test(segment) && !UUID.test(segment)
        ? ':token'
        : segment,
    )
    .join('/');
}

/** Long enough for a secret, and not a word: route names are lower-case words and dashes. */
const TOKEN_LIKE = /^[A-Za-z0-9_-]{20,}(\.ics)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
