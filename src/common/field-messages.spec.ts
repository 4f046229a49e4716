import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import {
  FIELD_TEXTS,
  fieldName,
  forReader,
  langOfAcceptLanguage,
  problemOf,
  readersHalf,
  sentenceFor,
} from './field-messages';

const SRC = join(process.cwd(), 'src');

/** Every DTO and query file, so a field added in any module is checked without a list. */
function dtoFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return dtoFiles(path);
    }
    return /\/dto\/[^/]+\.ts$/.test(path) && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('field messages', () => {
  it('should have a catalog entry for every property a DTO validates', async () => {
    const files = dtoFiles();
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      await import(file);
    }
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<unknown, { propertyName: string; target: { name: string } }[]>;
    };
    const properties = [...storage.validationMetadatas.values()]
      .flat()
      .map((m) => ({ property: m.propertyName, dto: m.target.name }));
    const missing = properties
      .filter((p) => FIELD_TEXTS[p.property] === undefined)
      .map((p) => `${p.dto}.${p.property}`);
    expect([...new Set(missing)]).toEqual([]);
    expect(properties.length).toBeGreaterThan(50);
    expect(relative(SRC, files[0])).not.toMatch(/^\.\./);
  });

  describe(problemOf.name, () => {
    it.each([
      ['isLength', '', 'required', [1, 100]],
      ['isString', undefined, 'required', []],
      ['matches', '   ', 'required', []],
      ['arrayMinSize', [], 'required', [1]],
      ['equals', false, 'required', []],
      ['isLength', 'x'.repeat(101), 'tooLong', [1, 100]],
      ['isLength', 'a', 'tooShort', [2, 40]],
      ['minLength', 'short', 'tooShort', [12]],
      ['matches', '12', 'invalidFormat', []],
      ['isIn', 'maybe', 'notAnOption', []],
      ['isInstant', '2027-03-04', 'invalidDateTime', []],
      ['someNewRule', 'x', 'invalid', []],
      ['whitelistValidation', undefined, 'unknownField', []],
    ])('should read %s failing on %p as %s', (constraint, value, code, params) => {
      expect(problemOf(constraint, value, params)).toBe(code);
    });
  });

  describe(sentenceFor.name, () => {
    it('should use the field’s own sentence where the generic one reads badly', () => {
      expect(sentenceFor('firstName', 'required', 'da')).toBe('Skriv dit fornavn');
      expect(sentenceFor('firstName', 'required', 'en')).toBe('Enter your first name');
      expect(sentenceFor('postcode', 'invalidFormat', 'da')).toBe(
        'Postnummeret skal være fire cifre',
      );
    });

    it('should fill the generic sentence with the label and the rule’s numbers', () => {
      expect(sentenceFor('firstName', 'tooLong', 'da', [1, 100])).toBe(
        'Fornavn må højst have 100 tegn',
      );
      expect(sentenceFor('sessions.2.location', 'tooLong', 'en', [1, 200])).toBe(
        'Location may have at most 200 characters',
      );
      expect(sentenceFor('newPassword', 'tooShort', 'da', [12])).toBe(
        'Den nye adgangskode skal have mindst 12 tegn',
      );
    });

    it('should speak to staff about the record, not about themselves', () => {
      expect(sentenceFor('firstName', 'required', 'da', [], 'staff')).toBe('Skriv fornavnet');
      expect(sentenceFor('email', 'required', 'en', [], 'staff')).toBe('Enter an email address');
    });

    it('should have nothing for a field the catalog does not know', () => {
      expect(sentenceFor('nonsense', 'required', 'da')).toBeNull();
    });
  });

  describe(forReader.name, () => {
    it('should keep one problem per field, the one to fix first, in the reader’s language', () => {
      const read = forReader(
        [
          {
            field: 'firstName',
            code: 'tooShort',
            message: 'firstName must be longer',
            params: [1],
          },
          { field: 'firstName', code: 'required', message: 'firstName should not be empty' },
          { field: 'phone', code: 'invalidFormat', message: 'phone must be a phone number' },
        ],
        'da',
      );
      expect(read).toEqual([
        { field: 'firstName', code: 'required', message: 'Skriv dit fornavn' },
        {
          field: 'phone',
          code: 'invalidFormat',
          message: 'Skriv et telefonnummer, fx +45 12 34 56 78',
        },
      ]);
    });

    it('should show a rule’s own “Dansk. / English.” text in the reader’s half', () => {
      const problem = {
        field: 'sessions.0.endsAt',
        code: 'endsBeforeStart',
        message:
          'Kursusgangen skal slutte, efter den er begyndt. / The session must end after it starts.',
      };
      expect(forReader([problem], 'da')[0].message).toBe(
        'Kursusgangen skal slutte, efter den er begyndt.',
      );
      expect(forReader([problem], 'en')[0].message).toBe('The session must end after it starts.');
    });
  });

  it('should split only texts that have both halves', () => {
    expect(readersHalf('Kun dansk', 'en')).toBe('Kun dansk');
  });

  it('should name a nested field by its own name', () => {
    expect(fieldName('sessions.0.startsAt')).toBe('startsAt');
    expect(fieldName('topics.3')).toBe('topics');
  });

  it('should speak Danish to an API client that asks for Danish first, else English', () => {
    expect(langOfAcceptLanguage('da, en;q=0.8')).toBe('da');
    expect(langOfAcceptLanguage('da-DK')).toBe('da');
    expect(langOfAcceptLanguage('en-GB,da;q=0.9')).toBe('en');
    expect(langOfAcceptLanguage(undefined)).toBe('en');
  });
});
