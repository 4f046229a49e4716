import iconv from 'iconv-lite';
import {
  appliedDayOf,
  decodeText,
  delimiterOf,
  echoed,
  parseDay,
  parseRows,
  readCsv,
  UnreadableFileError,
} from './parse';

const TODAY = '2026-12-07';
const HEADER =
  'Fornavn;Efternavn;E-mail;Telefon;Postnummer;Ansøgt;Hjemmebesøg;Udfald;Børneattest modtaget;Børneattest resultat;Kursus gennemført;Sprog;Tider;Noter';

describe('import parsing', () => {
  it('should read dd-mm-yyyy, dd.mm.yyyy, ISO, Excel serials and date cells as days', () => {
    expect(parseDay('24-11-2026', TODAY)).toEqual({ day: '2026-11-24' });
    expect(parseDay('24.11.2026', TODAY)).toEqual({ day: '2026-11-24' });
    expect(parseDay('2026-11-24', TODAY)).toEqual({ day: '2026-11-24' });
    expect(parseDay(46350, TODAY)).toEqual({ day: '2026-11-24' });
    expect(parseDay('46350', TODAY)).toEqual({ day: '2026-11-24' });
    expect(parseDay(new Date('2026-11-24T00:00:00Z'), TODAY)).toEqual({ day: '2026-11-24' });
  });

  it('should refuse impossible, future, early and unreadable dates with their own messages', () => {
    expect(parseDay('31-02-2026', TODAY)).toEqual({
      problem: expect.stringMatching(/^Datoen findes ikke/),
    });
    expect(parseDay('08-12-2026', TODAY)).toEqual({ problem: expect.stringMatching(/fremtiden/) });
    expect(parseDay('01-01-1999', TODAY)).toEqual({ problem: expect.stringMatching(/før 2000/) });
    expect(parseDay('i går', TODAY)).toEqual({ problem: expect.stringMatching(/kan ikke læses/) });
  });

  it('should decode UTF-8 with a BOM and Windows-1252, and find the separator', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Søren;Ærø', 'utf8')]);
    expect(decodeText(bom)).toBe('Søren;Ærø');
    expect(decodeText(iconv.encode('Søren;Ærø;Åse', 'win1252'))).toBe('Søren;Ærø;Åse');
    expect(delimiterOf('Fornavn,Efternavn,E-mail\nA;B,C')).toBe(',');
    expect(delimiterOf('Fornavn;Efternavn;E-mail')).toBe(';');
  });

  it("should read back the ' an export puts before text Excel would run, and keep any other '", () => {
    const table = readCsv(
      Buffer.from("Fornavn;Efternavn;Telefon\n'=Maja;O'Hara;'+45 20 30 40 50\n'Tove;'-;''@x\n"),
    );
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['=Maja', "O'Hara", '+45 20 30 40 50'],
      ["'Tove", '-', "''@x"],
    ]);
  });

  it('should match headers by name, ignoring case and spaces, and refuse a file without a required column', () => {
    const table = readCsv(
      Buffer.from('fornavn;EFTERNAVN; e - mail ;Ukendt\nMaja;Holm;MAJA@Example.org;x\n'),
    );
    expect(table.headers).toEqual(['fornavn', 'EFTERNAVN', 'e - mail', 'Ukendt']);
    const [row] = parseRows(table, TODAY);
    expect(row).toMatchObject({ line: 2, email: 'maja@example.org', problems: [] });
    expect(() =>
      parseRows(readCsv(Buffer.from('Fornavn;E-mail\nMaja;m@example.org')), TODAY),
    ).toThrow(UnreadableFileError);
  });

  it('should give each problem its line, the column as written and a Danish message', () => {
    const csv = [
      HEADER,
      'Ida;Berg;ida@example.org;+45 11 22 33 44;8000;01-09-2026;10-09-2026;afslaaet;;;;dansk, Engelsk;Weekend;',
      'Bo;;ikke-en-adresse;12;800;;;godkendt;;anmærkninger;;Klingon;;',
      'Eva;Lund;ida@example.org;;;;;;;;;;;',
    ].join('\n');
    const rows = parseRows(readCsv(Buffer.from(csv)), TODAY);
    expect(rows[0].problems).toEqual([]);
    expect(rows[0].values).toMatchObject({
      visit: { on: '2026-09-10', outcome: 'declined' },
      languages: ['da', 'en'],
      availability: ['weekend'],
    });
    expect(rows[1].line).toBe(3);
    expect(rows[1].problems.map((p) => p.column)).toEqual([
      'Efternavn',
      'E-mail',
      'Telefon',
      'Postnummer',
      'Udfald',
      'Børneattest resultat',
      'Sprog',
    ]);
    expect(rows[1].problems.every((p) => / \/ /.test(p.message))).toBe(true);
    expect(rows[2].problems).toEqual([
      { column: 'E-mail', message: expect.stringMatching(/^Adressen står også i linje 2/) },
    ]);
  });

  it('should refuse a visit or certificate before Ansøgt, and else take the earliest step as applied', () => {
    const csv = [
      HEADER,
      'Ida;Berg;ida@example.org;;;10-09-2026;01-09-2026;godkendt;05-09-2026;ren;01-05-2025;;;',
      'Bo;Dahl;bo@example.org;;;;10-09-2026;godkendt;01-08-2026;ren;01-05-2025;;;',
      'Eva;Lund;eva@example.org;;;;;;;;01-05-2025;;;',
    ].join('\n');
    const [ida, bo, eva] = parseRows(readCsv(Buffer.from(csv)), TODAY);
    expect(ida.problems).toEqual([
      {
        column: 'Hjemmebesøg',
        message: 'Datoen ligger før Ansøgt. / The date is before the application date.',
      },
      {
        column: 'Børneattest modtaget',
        message: 'Datoen ligger før Ansøgt. / The date is before the application date.',
      },
    ]);
    expect(bo.problems).toEqual([]);
    // The certificate came before the visit; the course before Klar is no step of the application.
    expect(appliedDayOf(bo.values!)).toBe('2026-08-01');
    expect(appliedDayOf({ ...bo.values!, appliedOn: '2026-07-01' })).toBe('2026-07-01');
    expect(appliedDayOf(eva.values!)).toBeUndefined();
  });

  it('should report a record whose quoted Noter spans lines by its first line, with LF or CR LF', () => {
    for (const nl of ['\n', '\r\n']) {
      const csv = [
        HEADER,
        'Ida;Berg;ida@example.org;;;;;;;;;;;"Første linje',
        'anden linje',
        'tredje linje"',
        '',
        'Bo;Dahl;ikke-en-adresse;;;;;;;;;;;',
        'Åse;Ærø;aase@example.org;;;;;;;;;;;"én',
        'to"',
        'Eva;Lund;eva@example.org;;;;;;;;;;;',
      ].join(nl);
      const rows = parseRows(readCsv(Buffer.from(csv)), TODAY);
      expect(rows.map((r) => r.line)).toEqual([2, 6, 7, 9]);
      expect(rows[0].values?.notes).toBe(`Første linje${nl}anden linje${nl}tredje linje`);
      expect(rows[1].problems.map((p) => p.column)).toEqual(['E-mail']);
    }
  });

  it('should echo at most 5 unknown choices, each cut at 40 characters', () => {
    const long = 'x'.repeat(10_000);
    const csv = [
      HEADER,
      `Ida;Berg;ida@example.org;;;;;;;;;${long}, a, b, c, d, e, f;Weekend, ${long};`,
    ].join('\n');
    const [row] = parseRows(readCsv(Buffer.from(csv)), TODAY);
    const [sprog, tider] = row.problems;
    expect(sprog.column).toBe('Sprog');
    expect(sprog.message).toContain(`Ukendt valg: ${'x'.repeat(39)}…, a, b, c, d, … (+2) (mulige:`);
    expect(sprog.message.length).toBeLessThan(700);
    expect(tider.message).toContain(`Unknown choice: ${'x'.repeat(39)}… (possible:`);
    expect(echoed(['a', 'b'])).toBe('a, b');
  });
});
