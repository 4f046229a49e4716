import { fieldsWithNul, hasBidiControl, isSingleLine, jsonNestsDeeperThan } from './text';

describe('text', () => {
  describe(fieldsWithNul.name, () => {
    it('should name every field holding a NUL, nested as validation names them', () => {
      expect(
        fieldsWithNul({
          firstName: 'Ma\u0000ja',
          lastName: 'Sørensen',
          sessions: [{ location: 'ok' }, { location: 'Hus\u0000' }],
          availability: ['weekend', 'x\u0000'],
        }),
      ).toEqual(['availability.1', 'firstName', 'sessions.1.location']);
    });

    it('should name a key holding a NUL', () => {
      expect(fieldsWithNul({ 'a\u0000b': 'x' })).toEqual(['ab']);
    });

    it('should find nothing in clean input, numbers or null', () => {
      expect(fieldsWithNul({ a: 'x\ny', b: 1, c: null, d: [true] })).toEqual([]);
      expect(fieldsWithNul(undefined)).toEqual([]);
    });
  });

  describe(isSingleLine.name, () => {
    it.each(['Maja', 'Nørrebrogade 1, 2. th.', 'محمد'])('should take %s', (value) => {
      expect(isSingleLine(value)).toBe(true);
    });

    it.each(['a\nb', 'a\r\nb', 'a\u2028b', 'a\tb', 'a\u0000'])('should refuse %j', (value) => {
      expect(isSingleLine(value)).toBe(false);
    });
  });

  describe(hasBidiControl.name, () => {
    it('should find overrides and isolates but not ordinary right-to-left text', () => {
      expect(hasBidiControl('Maja\u202Egnp.exe')).toBe(true);
      expect(hasBidiControl('\u2066x\u2069')).toBe(true);
      expect(hasBidiControl('محمد')).toBe(false);
    });
  });

  describe(jsonNestsDeeperThan.name, () => {
    const bytes = (s: string) => new TextEncoder().encode(s);

    it('should measure the nesting of objects and arrays', () => {
      expect(jsonNestsDeeperThan(bytes('[[[]]]'), 3)).toBe(false);
      expect(jsonNestsDeeperThan(bytes('[[[[]]]]'), 3)).toBe(true);
      expect(jsonNestsDeeperThan(bytes('{"a":{"b":[1]}}'), 3)).toBe(false);
      expect(jsonNestsDeeperThan(bytes('[[],[],[],[]]'), 2)).toBe(false);
    });

    it('should not count brackets inside strings, escaped quotes included', () => {
      expect(jsonNestsDeeperThan(bytes('{"a":"[[[[{{{{"}'), 1)).toBe(false);
      expect(jsonNestsDeeperThan(bytes('{"a":"\\"[[[["}'), 1)).toBe(false);
      expect(jsonNestsDeeperThan(bytes('{"a\\\\":[[1]]}'), 2)).toBe(true);
    });
  });
});
