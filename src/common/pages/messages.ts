import { InvalidInputError } from '../errors';
import { RequestValidationError } from '../validation';
import type { PageForm } from './forms';

/** Danish and English text per form field. */
export type Messages = Record<string, [string, string]>;

/** A rejected form's field errors, in the reader's language; anything else as it is. */
export function inReadersLanguage(form: PageForm, error: unknown, messages: Messages): unknown {
  if (!(error instanceof RequestValidationError || error instanceof InvalidInputError)) {
    return error;
  }
  const fields = [...new Set(error.errors.map((e) => e.field))];
  return new InvalidInputError(
    fields.map((field) => {
      const text = messages[field];
      return {
        field,
        message: text
          ? form.t(text[0], text[1])
          : error.errors
              .filter((e) => e.field === field)
              .map((e) => e.message)
              .join('; '),
      };
    }),
  );
}
