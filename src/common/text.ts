/**
 * What text a person may send. PostgreSQL cannot store a NUL in text at all, so a NUL
 * anywhere is refused before any work; single-line fields (names, titles, places,
 * emails) end up in email headers, calendar lines and log lines, where a line break
 * starts a new header, property or entry; and bidi overrides let a name display as
 * something else than it is (`Maja‮exe.pdf`).
 */

/** Control characters, line and paragraph separators: nothing a one-line field needs. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_SINGLE_LINE = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

/** Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

export const isSingleLine = (value: string): boolean => !NOT_SINGLE_LINE.test(value);

export const hasBidiControl = (value: string): boolean => BIDI_CONTROL.test(value);

/**
 * The fields of parsed input (a JSON body, a form, a query string) whose text holds a
 * NUL, named as the validation errors name them (`sessions.0.location`). Keys count
 * too: a key with a NUL is reported under its own (sanitised) name.
 */
export function fieldsWithNul(input: unknown): string[] {
  const found: string[] = [];
  // A stack, not recursion: the depth of input is limited elsewhere, but never trusted here.
  const stack: { value: unknown; path: string }[] = [{ value: input, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        found.push(path);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path
          ? `${path}.${key.replaceAll('\u0000', '')}`
          : key.replaceAll('\u0000', '');
        if (key.includes('\u0000')) {
          found.push(childPath);
        } else {
          stack.push({ value: child, path: childPath });
        }
      }
    }
  }
  return found.sort();
}

/**
 * Whether JSON text nests objects and arrays deeper than `max`, by one pass over the
 * bytes (brackets inside strings do not count), so a body nested 16,000 deep costs
 * microseconds rather than a recursive parse and transform.
 */
export function jsonNestsDeeperThan(json: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === 0x5c) {
        i += 1; // the escaped character, whatever it is, is part of the string
      } else if (byte === 0x22) {
        inString = false;
      }
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > max) {
        return true;
      }
    } else if (byte === 0x7d || byte === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}
