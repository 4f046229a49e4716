import {
  type ArgumentMetadata,
  BadRequestException,
  Param,
  ParseUUIDPipe,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { getMetadataStorage, type ValidatorOptions } from 'class-validator';
import type { FieldError } from './errors';
import { problemOf } from './field-messages';

/**
 * Flattens class-validator's tree into `[{field: 'sessions.0.startsAt', code, message}]`:
 * the code says which problem (field-messages.ts words it), the message is
 * class-validator's, kept only as a last resort.
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => {
      const params = constraintParams(error.target, error.property, constraint);
      const fieldError: FieldError = {
        field,
        code:
          constraint === 'crossField'
            ? crossFieldCode(error)
            : problemOf(constraint, error.value, params),
        message,
      };
      return params.length > 0 ? { ...fieldError, params } : fieldError;
    });
    return own.concat(toFieldErrors(error.children ?? [], field));
  });
}

/**
 * A rule's numbers (`@Length(1, 100)` → [1, 100]), read from the DTO's metadata: the
 * error itself only carries class-validator's English sentence.
 */
function constraintParams(target: object | undefined, property: string, constraint: string) {
  if (!target) {
    return [];
  }
  const rule = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && (m.name ?? m.type) === constraint);
  const params: unknown = rule?.constraints;
  return Array.isArray(params) ? params.filter((p): p is number => typeof p === 'number') : [];
}

/** A cross-field problem keeps the code its rule gave (carried in the error's contexts). */
function crossFieldCode(error: ValidationError): string {
  const code = (error.contexts?.crossField as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'invalid';
}

export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/**
 * A DTO class whose rules span its fields (a session must end after it starts, and not
 * overlap another) names their problems in a static `crossFieldProblems`, with the paths
 * toFieldErrors gives. They are reported together with the field errors, so a form
 * shows every problem at once instead of one round per kind.
 */
export interface CrossFieldRules<T> {
  crossFieldProblems(dto: T): FieldError[];
}

/** The cross-field problems of a validated DTO, if its class has such rules. */
export function crossFieldProblemsOf(instance: object): FieldError[] {
  const rules = (instance.constructor as Partial<CrossFieldRules<object>>).crossFieldProblems;
  return typeof rules === 'function' ? rules(instance) : [];
}

/**
 * The global pipe, which adds a DTO's cross-field problems to class-validator's, and
 * reads an empty query parameter (`stage=`, as a filter form sends every field it
 * has) as no filter, in the API as on the pages (api.md).
 */
class KlarValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return super.transform(
      metadata.type === 'query' ? withoutEmptyParameters(value) : value,
      metadata,
    );
  }

  protected override async validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    // A flat error whose property is the whole path: toFieldErrors keeps it as it is.
    return errors.concat(
      crossFieldProblemsOf(object).map((p) => ({
        property: p.field,
        constraints: { crossField: p.message },
        contexts: { crossField: { code: p.code } },
        children: [],
      })),
    );
  }
}

export function createValidationPipe() {
  return new KlarValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // An unknown field is a 400 naming the field, as api.md promises.
    forbidUnknownValues: true,
    stopAtFirstError: false,
    // The value and the DTO decide the code: an empty field is `required`, and a rule's
    // numbers come from the DTO's metadata (toFieldErrors).
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new RequestValidationError(toFieldErrors(errors)),
  });
}

/** A route id that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new RequestValidationError([
          { field: name, code: 'invalidId', message: `${name} must be a UUID` },
        ]),
    }),
  );

function withoutEmptyParameters(query: unknown): unknown {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    return query;
  }
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}
