import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { fieldsWithNul, jsonNestsDeeperThan } from './text';
import { RequestValidationError } from './validation';

/** Deeper than any request Klar takes (a course's sessions' topics are 4 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser's `verify` hook for JSON: refuses a body nested deeper than
 * MAX_JSON_DEPTH before it is parsed, so class-transformer never recurses through it
 * (16,000 levels overflowed its stack after ~200 ms of CPU). The error filter answers
 * body-parser's errors with their status and message.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw Object.assign(
      new Error(`The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`),
      { status: 400, type: 'entity.too.deep' },
    );
  }
}

/**
 * Every request, API or page form: a NUL anywhere in the query string or the parsed
 * body is a 400 naming the field, before any handler or session write. PostgreSQL
 * cannot store a NUL in text, so no field can take one, and one check here covers
 * fields that DTOs, forms and queries would otherwise each have to remember.
 */
export function refuseNulBytes(req: Request, _res: Response, next: NextFunction): void {
  const fields = [...fieldsWithNul(req.query), ...fieldsWithNul(req.body as unknown)];
  if (fields.length === 0) {
    return next();
  }
  next(
    new RequestValidationError(
      [...new Set(fields)].map((field) => ({
        field,
        code: 'invalidCharacter',
        message: `${field} must not contain a NUL character (\\u0000)`,
      })),
    ),
  );
}
