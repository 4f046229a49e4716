import { Transform, Type } from 'class-transformer';
import { IsOptional, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import {
  isPlausibleDate,
  isPlausibleInstant,
  isRealDate,
  parseInstant,
  PLAUSIBLE_YEARS,
} from './dates';
import { hasBidiControl, isSingleLine } from './text';

/** One class-validator rule on a property, with its message naming the property. */
function rule(
  name: string,
  message: (property: string) => string,
  validate: (value: unknown) => boolean,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message: message(propertyName), ...options },
      validator: { validate },
    });
}

/** `YYYY-MM-DD` naming a day that exists, not before 2000 (see PLAUSIBLE_YEARS). */
export function IsCalendarDate(options?: ValidationOptions) {
  const real = rule(
    'isCalendarDate',
    (p) => `${p} must be a real date as YYYY-MM-DD`,
    (value) => typeof value === 'string' && isRealDate(value),
    options,
  );
  const plausible = rule(
    'isPlausibleDate',
    (p) => `${p} must not be before ${PLAUSIBLE_YEARS.from}-01-01`,
    (value) => typeof value !== 'string' || isPlausibleDate(value),
    options,
  );
  return (target: object, propertyName: string) => {
    real(target, propertyName);
    plausible(target, propertyName);
  };
}

/** An ISO 8601 timestamp with a real offset, e.g. 2027-03-04T17:00:00+01:00, in 2000–2100. */
export function IsInstant(options?: ValidationOptions) {
  const instant = rule(
    'isInstant',
    (p) => `${p} must be an ISO 8601 timestamp with an offset, e.g. 2027-03-04T17:00:00+01:00`,
    (value) => typeof value === 'string' && parseInstant(value) !== null,
    options,
  );
  const plausible = rule(
    'isPlausibleInstant',
    (p) => `${p} must fall in the years ${PLAUSIBLE_YEARS.from} to ${PLAUSIBLE_YEARS.to}`,
    (value) => {
      const date = typeof value === 'string' ? parseInstant(value) : null;
      return date === null || isPlausibleInstant(date);
    },
    options,
  );
  return (target: object, propertyName: string) => {
    instant(target, propertyName);
    plausible(target, propertyName);
  };
}

/**
 * Text that must stay on one line: names, titles, places, emails, codes, searches. A
 * line break there would start a new header, calendar property or log line.
 */
export const SingleLine = (options?: ValidationOptions) =>
  rule(
    'singleLine',
    (p) => `${p} must be a single line of text, without line breaks or control characters`,
    (value) => typeof value !== 'string' || isSingleLine(value),
    options,
  );

/** A name people read (of a person, branch or course): one line, no direction controls. */
export const PlainName = (options?: ValidationOptions) => {
  const line = SingleLine(options);
  const bidi = rule(
    'noBidiControl',
    (p) => `${p} must not contain text direction controls (U+202A–U+202E, U+2066–U+2069)`,
    (value) => typeof value !== 'string' || !hasBidiControl(value),
    options,
  );
  return (target: object, propertyName: string) => {
    line(target, propertyName);
    bidi(target, propertyName);
  };
};

/**
 * How far into a list a page starts. Without a ceiling, 99999999999999999999 passes as
 * an integer and overflows PostgreSQL's bigint; no list here comes near a million rows.
 */
export const MAX_OFFSET = 1_000_000;

/** A list's `offset` query parameter: a whole number from 0 to MAX_OFFSET, default 0. */
export function PageOffset() {
  const toNumber = Type(() => Number);
  const range = rule(
    'isPageOffset',
    (p) => `${p} must be a whole number from 0 to ${MAX_OFFSET}`,
    (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_OFFSET,
  );
  return (target: object, propertyName: string) => {
    IsOptional()(target, propertyName);
    toNumber(target, propertyName);
    range(target, propertyName);
  };
}

export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const NormaliseEmail = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

/**
 * For a partial update: a field left out is unchanged, but a field sent as `null` is
 * checked like any value (and refused), where IsOptional would let `null` through to a
 * NOT NULL column.
 */
export const UnlessLeftOut = () => ValidateIf((_: object, value: unknown) => value !== undefined);
