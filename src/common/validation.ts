import {
  type ArgumentMetadata,
  BadRequestException,
  Param,
  ParseUUIDPipe,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import type { FieldError } from './errors';

/** Flattens class-validator's tree into `[{field: 'sessions.0.startsAt', message}]`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(toFieldErrors(error.children ?? [], field));
  });
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
    exceptionFactory: (errors) => new RequestValidationError(toFieldErrors(errors)),
  });
}

/** A route id that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new RequestValidationError([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );

function withoutEmptyParameters(query: unknown): unknown {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    return query;
  }
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}
