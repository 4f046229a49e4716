import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../dates';
import { ConflictError, type FieldError, InvalidInputError } from '../errors';
import { type Audience, forReader, readersHalf } from '../field-messages';
import { crossFieldProblemsOf, RequestValidationError, toFieldErrors } from '../validation';
import { inLang, type Lang, langOf } from './web';

export type FormBody = Record<string, unknown>;

/** A form's fields into the use case's DTO, checked by the same rules as the API. */
export async function parseForm<T extends object>(
  dto: new () => T,
  input: Record<string, unknown>,
): Promise<T> {
  const instance = plainToInstance(dto, input);
  const problems = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  const errors = [...toFieldErrors(problems), ...crossFieldProblemsOf(instance)];
  if (errors.length > 0) {
    throw new RequestValidationError(errors);
  }
  return instance;
}

/** A redirect as Nest's `@Redirect()` takes it from a handler's return value. */
export interface RedirectTo {
  url: string;
  statusCode: number;
}

/**
 * A posted page form: its fields, the reader's language, and the one way to run its use
 * case: POST, then redirect. A rejected submission goes back to the form's page with its
 * errors and input kept in the session, so a page with several forms (the volunteer's)
 * shows each form's errors next to its own fields. Handlers return `submit()`'s result
 * under `@Redirect()`.
 */
export class PageForm {
  constructor(readonly req: Request) {}

  get body(): FormBody {
    return (this.req.body ?? {}) as FormBody;
  }

  /** Text in the reader's language, for notices made in code. */
  t(da: string, en: string): string {
    return inLang(langOf(this.req), da, en);
  }

  /** A notice shown once on the page the redirect leads to. */
  flash(message: string): void {
    this.req.session.flash = message;
  }

  async submit(
    form: { name: string; back: string; done?: string; forget?: string[] },
    run: () => Promise<string>,
  ): Promise<RedirectTo> {
    try {
      const next = await run();
      if (form.done) {
        this.flash(form.done);
      }
      return await this.stored({ url: next, statusCode: 303 });
    } catch (error) {
      // Signed-in staff work on others' records; everyone else on their own.
      const audience = this.req.session?.userId ? 'staff' : 'person';
      const errors = formErrorsOf(error, langOf(this.req), audience);
      if (!errors) {
        throw error;
      }
      const values = keptValues(this.body);
      for (const field of form.forget ?? []) {
        delete values[field];
      }
      this.req.session.formState = { form: form.name, errors, values };
      return await this.stored({ url: form.back, statusCode: 303 });
    }
  }

  /**
   * The session stored before the redirect leaves. express-session saves at the
   * response's end but sends the 303's headers first, and a browser that follows at once
   * (seen under load) could load the page before the notice, the refused form or a fresh
   * sign-in was in the session: no notice, no errors, or back to the login page.
   */
  private async stored(to: RedirectTo): Promise<RedirectTo> {
    const session = this.req.session;
    if (Object.keys(session).some((key) => key !== 'cookie')) {
      await new Promise<void>((resolve, reject) =>
        session.save((error?: Error) => (error ? reject(error) : resolve())),
      );
    }
    return to;
  }
}

/** The posted form of a page handler (not validated by the global pipe: parseForm does). */
export const Form = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => new PageForm(ctx.switchToHttp().getRequest<Request>()),
);

/**
 * The errors a person can fix on the form, in their language (one per field, from the
 * catalog in field-messages.ts); anything else goes to the error page.
 */
function formErrorsOf(error: unknown, lang: Lang, audience: Audience): FieldError[] | null {
  if (error instanceof RequestValidationError || error instanceof InvalidInputError) {
    return forReader(error.errors, lang, audience);
  }
  if (error instanceof ConflictError) {
    return [{ field: '', code: error.code, message: readersHalf(error.message, lang) }];
  }
  return null;
}

/** Never keep a password or the CSRF token in the session. */
function keptValues(values: FormBody): FormBody {
  return Object.fromEntries(
    Object.entries(values).filter(([key]) => key !== '_csrf' && !/password/i.test(key)),
  );
}

export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** Checkboxes: one ticked box arrives as a string, several as an array, none not at all. */
export const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );

export const ticked = (value: unknown): boolean => value === 'on' || value === 'true';

export const int = (value: unknown): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/**
 * `<input type="datetime-local">` gives Copenhagen wall time without an offset; the
 * services take an instant. Unparseable input goes on as it is, for the validator to name.
 */
export function copenhagenInstant(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const parsed = DateTime.fromISO(value, { zone: TIME_ZONE });
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) && parsed.isValid
    ? parsed.toISO({ suppressMilliseconds: true })
    : value;
}

/** An instant as the value of a datetime-local input, in Copenhagen. */
export function toLocalInput(date: Date): string {
  return DateTime.fromJSDate(date).setZone(TIME_ZONE).toFormat("yyyy-MM-dd'T'HH:mm");
}
