import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRetryableConflict } from '../database/database-errors';
import { DomainError, FieldError, InvalidInputError, TooManyRequestsError } from './errors';
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
    const body = this.toBody(exception);
    if (body.statusCode === 503) {
      // Expected while the database is away; one line, not a stack per request.
      this.logger.warn(`${request.method} ${request.path}: ${body.message}`);
    } else if (body.statusCode >= 500) {
      body.correlationId = randomUUID();
      this.logger.error(
        `${request.method} ${request.originalUrl} failed [${body.correlationId}]`,
        exception instanceof Error ? exception.stack : String(exception),
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
    if (wantsJson(request)) {
      response.status(body.statusCode).json(body);
    } else if (body.statusCode === 401) {
      // A staff page without a signed-in session: sign in, then come back.
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
    } else {
      response.status(body.statusCode);
      response.render('error', {
        layout: 'layouts/main',
        title: body.error,
        error: body,
        retryAfterMinutes:
          exception instanceof TooManyRequestsError
            ? Math.ceil(exception.retryAfterSeconds / 60)
            : undefined,
      });
    }
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof RequestValidationError || exception instanceof InvalidInputError) {
      return { ...make(400, exception.message), errors: exception.errors };
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
