import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { isEmail } from 'class-validator';
import { DateTime } from 'luxon';
import { PLAUSIBLE_YEARS } from '../common/dates';
import { fromInertText } from '../common/export/spreadsheet';
import { hasBidiControl, isSingleLine } from '../common/text';
import type { AttestationResult } from '../attestations/attestation.entity';
import type { HomeVisitOutcome } from '../home-visits/home-visit.entity';
import { AVAILABILITY, LANGUAGES, type Option } from '../volunteers/volunteer-options';

/**
 * Reading a branch's spreadsheet (issue 15): the bytes of a CSV (`;` or `,`, UTF-8 with
 * or without BOM, or Windows-1252 as Danish Excel writes it) or an XLSX become a table,
 * and each row becomes the values to import or the problems that stop it. Pure apart
 * from loading exceljs; the service decides what a valid row does to the records.
 */

/** The template's columns, in its order (api.md, "Import, figures, requirements"). */
export const IMPORT_COLUMNS = [
  { key: 'firstName', header: 'Fornavn', required: true },
  { key: 'lastName', header: 'Efternavn', required: true },
  { key: 'email', header: 'E-mail', required: true },
  { key: 'phone', header: 'Telefon', required: false },
  { key: 'postcode', header: 'Postnummer', required: false },
  { key: 'appliedOn', header: 'Ansøgt', required: false },
  { key: 'visitOn', header: 'Hjemmebesøg', required: false },
  { key: 'outcome', header: 'Udfald', required: false },
  { key: 'attestationOn', header: 'Børneattest modtaget', required: false },
  { key: 'attestationResult', header: 'Børneattest resultat', required: false },
  { key: 'courseCompletedOn', header: 'Kursus gennemført', required: false },
  { key: 'languages', header: 'Sprog', required: false },
  { key: 'availability', header: 'Tider', required: false },
  { key: 'notes', header: 'Noter', required: false },
] as const;

export type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

/** The template's example row, under the same columns. */
export const TEMPLATE_EXAMPLE: Record<ColumnKey, string> = {
  firstName: 'Maja',
  lastName: 'Sørensen',
  email: 'maja.sorensen@example.org',
  phone: '+45 20 30 40 50',
  postcode: '8000',
  appliedOn: '02-09-2026',
  visitOn: '24-09-2026',
  outcome: 'godkendt',
  attestationOn: '10-10-2026',
  attestationResult: 'ren',
  courseCompletedOn: '15-05-2025',
  languages: 'Dansk, Engelsk',
  availability: 'Hverdage aften, Weekend',
  notes: 'Har været familieven i en anden afdeling.',
};

/** A cell as read: text from a CSV; text, a number or a date from an XLSX. */
export type Cell = string | number | Date | null;

export interface Table {
  headers: string[];
  /** `line` is the row's line in the file, the header being line 1. */
  rows: { line: number; cells: Cell[] }[];
}

export interface Problem {
  /** The column's header as the file writes it; empty for the row as a whole. */
  column: string;
  message: string;
}

/**
 * The day a new person applied: `Ansøgt`, else the earliest step of the application the
 * row has (the visit, the certificate; they cannot come before it), else undefined (the
 * import time then: from Klar's point of view they apply now). The year's figures count
 * applications by this day, so an imported person counts in the year the file says.
 */
export function appliedDayOf(values: ImportValues): string | undefined {
  if (values.appliedOn) {
    return values.appliedOn;
  }
  const steps = [values.visit?.on, values.attestation?.receivedOn].filter(
    (d): d is string => d !== undefined,
  );
  return steps.length > 0 ? steps.sort()[0] : undefined;
}

/** A row's values; a field is absent when the file has no value for it. */
export interface ImportValues {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  postcode?: string;
  appliedOn?: string;
  visit?: { on: string; outcome: HomeVisitOutcome };
  attestation?: { receivedOn: string; result: AttestationResult };
  courseCompletedOn?: string;
  languages?: string[];
  availability?: string[];
  notes?: string;
}

export interface ParsedRow {
  line: number;
  /** The address as written (lower case, trimmed), also on a row with problems. */
  email: string;
  values: ImportValues | null;
  problems: Problem[];
  /** Each template column's header as this file writes it (the same object for every row). */
  headers: Record<ColumnKey, string>;
}

/** The file cannot be read as a table at all, or lacks required columns: a 400 for the file. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly code: 'unreadable' | 'empty' | 'missingColumns' | 'tooManyRows',
  ) {
    super(message);
  }
}

/** The data rows (the header not counted) a file may have. */
export const MAX_IMPORT_ROWS = 20_000;

const tooManyRows = () =>
  new UnreadableFileError(
    `Filen har mere end ${MAX_IMPORT_ROWS.toLocaleString('da-DK')} rækker; del den op. / The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows; split it.`,
    'tooManyRows',
  );

const XLSX_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the bytes are an XLSX (a zip); anything else is read as CSV. */
export function isXlsx(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).equals(XLSX_SIGNATURE);
}

/** UTF-8 (a BOM dropped) if the bytes are valid UTF-8, else Windows-1252 as Danish Excel saves. */
export function decodeText(bytes: Buffer): string {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return iconv.decode(body, 'win1252');
  }
}

/** `;` or `,`, whichever the header line has more of (`;` when it has neither). */
export function delimiterOf(text: string): ';' | ',' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(',') > count(';') ? ',' : ';';
}

export function readCsv(bytes: Buffer): Table {
  const text = decodeText(bytes);
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parseCsv(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    throw new UnreadableFileError(
      `Filen kunne ikke læses som CSV (${(error as Error).message}). / The file could not be read as CSV.`,
      'unreadable',
    );
  }
  if (records.length === 0) {
    throw new UnreadableFileError('Filen er tom. / The file is empty.', 'empty');
  }
  const [header, ...rows] = records;
  if (rows.length > MAX_IMPORT_ROWS) {
    throw tooManyRows();
  }
  const lines = firstLines(
    Buffer.from(text, 'utf8'),
    records.map((r) => r.info.bytes),
  );
  return {
    headers: header.record.map((h) => h.trim()),
    // The template and Klar's exports write `'+45 …` for text Excel would run as a formula.
    rows: rows.map((r, i) => ({ line: lines[i + 1], cells: r.record.map(fromInertText) })),
  };
}

/**
 * The line each record starts on, from where the one before it ended (`info.bytes`, in
 * UTF-8 bytes, csv-parse's count): a quoted value over several lines is reported by its
 * first line, as the person sees it in the file. (csv-parse's own `info.lines` gives
 * the last line and counts CR LF inside quotes as two.) Empty lines skipped are skipped.
 */
function firstLines(text: Buffer, ends: number[]): number[] {
  const LF = 0x0a;
  const CR = 0x0d;
  let at = 0;
  let line = 1;
  return ends.map((end) => {
    while (at < text.length && (text[at] === LF || text[at] === CR)) {
      if (text[at] === LF) {
        line += 1;
      }
      at += 1;
    }
    const first = line;
    for (; at < end && at < text.length; at += 1) {
      if (text[at] === LF) {
        line += 1;
      }
    }
    return first;
  });
}

/** The first worksheet of an XLSX; exceljs is loaded on first use (it is large). */
export async function readXlsx(bytes: Buffer): Promise<Table> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError(
      'Filen kunne ikke læses som XLSX. / The file could not be read as XLSX.',
      'unreadable',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) {
    throw new UnreadableFileError('Filen er tom. / The file is empty.', 'empty');
  }
  // The rows a file may have; more is a 400 on `file` rather than minutes of checking.
  if (sheet.rowCount - 1 > MAX_IMPORT_ROWS) {
    throw tooManyRows();
  }
  // Only the cells the sheet holds are read: row.getCell(n) would create every cell up
  // to n, and a single cell in column XFD made each row 16,384 cells (800 MB for 10 KB).
  // The width is the header's last non-empty cell; the cells right of it have no column.
  const cellsOf = (row: ReturnType<typeof sheet.getRow>, width: number): Cell[] => {
    const cells: Cell[] = [];
    row.eachCell((cell, column) => {
      if (column <= width) {
        cells[column - 1] = xlsxCell(cell.value);
      }
    });
    return cells;
  };
  const header = cellsOf(sheet.getRow(1), Number.MAX_SAFE_INTEGER);
  let width = 0;
  header.forEach((c, i) => {
    if (c !== null && String(c).trim() !== '') {
      width = i + 1;
    }
  });
  const headers = Array.from({ length: width }, (_, i) =>
    header[i] === null || header[i] === undefined ? '' : String(header[i]).trim(),
  );
  const rows: Table['rows'] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) {
      rows.push({ line: number, cells: cellsOf(row, width) });
    }
  });
  return { headers, rows };
}

/** An exceljs cell value as text, a number or a date: links, formulas and rich text by what they show. */
function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) {
    return value;
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'object') {
    const v = value as {
      text?: unknown;
      result?: unknown;
      richText?: { text: string }[];
      hyperlink?: string;
    };
    if (Array.isArray(v.richText)) {
      return v.richText.map((r) => r.text).join('');
    }
    if (v.text !== undefined) {
      return xlsxCell(v.text);
    }
    if (v.result !== undefined) {
      return xlsxCell(v.result);
    }
  }
  return null;
}

export async function readTable(bytes: Buffer): Promise<Table> {
  return isXlsx(bytes) ? readXlsx(bytes) : readCsv(bytes);
}

/** A header as compared: lower case, without spaces (and in one Unicode form). */
export const headerKey = (header: string): string =>
  header.normalize('NFC').toLowerCase().replace(/\s+/g, '');

/** Which file column holds each template column; unknown columns are ignored. */
export function mapColumns(headers: string[]): Map<ColumnKey, { index: number; header: string }> {
  const found = new Map<ColumnKey, { index: number; header: string }>();
  headers.forEach((header, index) => {
    const column = IMPORT_COLUMNS.find((c) => headerKey(c.header) === headerKey(header));
    if (column && !found.has(column.key)) {
      found.set(column.key, { index, header });
    }
  });
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !found.has(c.key));
  if (missing.length > 0) {
    const names = missing.map((c) => c.header).join(', ');
    throw new UnreadableFileError(
      `Filen mangler kolonnen ${names} (overskrifterne står i første linje, som i skabelonen). / The file lacks the column ${names} (the headers are on the first line, as in the template).`,
      'missingColumns',
    );
  }
  return found;
}

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

type DayResult = { day: string } | { problem: string };

const BAD_DATE =
  'Datoen kan ikke læses; skriv den som dd-mm-åååå (f.eks. 24-11-2026). / The date cannot be read; write it as dd-mm-yyyy (e.g. 24-11-2026).';
const IMPOSSIBLE_DATE =
  'Datoen findes ikke (f.eks. 31-02). / The date does not exist (e.g. 31-02).';
const FUTURE_DATE = 'Datoen ligger i fremtiden. / The date is in the future.';
const BEFORE_APPLIED = 'Datoen ligger før Ansøgt. / The date is before the application date.';
const TOO_EARLY = `Datoen ligger før ${PLAUSIBLE_YEARS.from}. / The date is before ${PLAUSIBLE_YEARS.from}.`;

/**
 * A day from a cell: `dd-mm-yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`, an Excel serial number or
 * an XLSX date cell; never after `today` (Copenhagen) or before 2000.
 */
export function parseDay(cell: Cell, today: string): DayResult {
  let y: number;
  let m: number;
  let d: number;
  if (cell instanceof Date) {
    // exceljs gives a date cell as that day at midnight UTC.
    [y, m, d] = [cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()];
  } else {
    const text = String(cell).trim();
    let match: RegExpExecArray | null;
    if (typeof cell === 'number' || /^\d{1,6}(\.0+)?$/.test(text)) {
      const serial = Number(text);
      if (!Number.isInteger(serial) || serial < 1) {
        return { problem: BAD_DATE };
      }
      const date = new Date(EXCEL_EPOCH_MS + serial * 86_400_000);
      [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    } else if ((match = /^(\d{1,2})([-.])(\d{1,2})\2(\d{4})$/.exec(text))) {
      [d, m, y] = [Number(match[1]), Number(match[3]), Number(match[4])];
    } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
      [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else {
      return { problem: BAD_DATE };
    }
  }
  const date = DateTime.fromObject({ year: y, month: m, day: d });
  if (!date.isValid) {
    return { problem: IMPOSSIBLE_DATE };
  }
  const day = date.toISODate();
  if (y < PLAUSIBLE_YEARS.from) {
    return { problem: TOO_EARLY };
  }
  if (day > today) {
    return { problem: FUTURE_DATE };
  }
  return { day };
}

/** A value as compared with a list of words: lower case, without spaces, æøå spelt out too. */
function wordKey(value: string): string {
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'oe')
    .replaceAll('å', 'aa');
}

const OUTCOMES: Record<string, HomeVisitOutcome> = {
  godkendt: 'approved',
  afslaaet: 'declined',
  afslaet: 'declined',
  opfoelgning: 'follow_up',
  opfolgning: 'follow_up',
};

const RESULTS: Record<string, AttestationResult> = {
  ren: 'clean',
  anmaerkninger: 'has_entries',
  anmarkninger: 'has_entries',
};

/** Comma-separated choices, each by its code or its Danish or English label. */
function parseOptions(
  text: string,
  options: Option[],
): { codes: string[] } | { unknown: string[] } {
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const key = wordKey(part);
    const option = options.find(
      (o) => wordKey(o.code) === key || wordKey(o.da) === key || wordKey(o.en) === key,
    );
    if (!option) {
      unknown.push(part);
    } else if (!codes.includes(option.code)) {
      codes.push(option.code);
    }
  }
  return unknown.length > 0 ? { unknown } : { codes };
}

const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
const POSTCODE = /^[0-9]{4}$/;

/** A cell as trimmed text; empty when blank. */
function textOf(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  if (cell instanceof Date) {
    return cell.toISOString().slice(0, 10);
  }
  return String(cell).trim();
}

/** Values the file has, as a problem repeats them: at most 5, each at most 40 characters. */
export function echoed(values: string[]): string {
  const shown = values
    .slice(0, 5)
    .map((v) => (v.length > 40 ? `${v.slice(0, 39)}…` : v))
    .join(', ');
  return values.length > 5 ? `${shown}, … (+${values.length - 5})` : shown;
}

/**
 * Every row of the table checked on its own and against the rows before it (an address
 * twice in the file); whether an address belongs to another branch is the service's.
 */
export function parseRows(table: Table, today: string): ParsedRow[] {
  const columns = mapColumns(table.headers);
  const headers = Object.fromEntries(
    IMPORT_COLUMNS.map((c) => [c.key, columns.get(c.key)?.header ?? c.header]),
  ) as Record<ColumnKey, string>;
  const firstLineOf = new Map<string, number>();
  const parsed: ParsedRow[] = [];
  for (const { line, cells } of table.rows) {
    const cellOf = (key: ColumnKey): Cell | undefined => {
      const column = columns.get(key);
      return column ? cells[column.index] : undefined;
    };
    if (cells.every((c) => textOf(c) === '')) {
      continue;
    }
    const problems: Problem[] = [];
    const problem = (key: ColumnKey, message: string) =>
      problems.push({ column: headers[key], message });

    const name = (key: 'firstName' | 'lastName'): string => {
      const value = textOf(cellOf(key));
      if (value === '') {
        problem(key, 'Skal udfyldes. / Required.');
      } else if (value.length > 100) {
        problem(key, 'Højst 100 tegn. / At most 100 characters.');
      } else if (!isSingleLine(value) || hasBidiControl(value)) {
        problem(
          key,
          'Skal være én linje uden styretegn. / Must be one line without control characters.',
        );
      }
      return value;
    };
    const firstName = name('firstName');
    const lastName = name('lastName');

    const email = textOf(cellOf('email')).toLowerCase();
    if (email === '') {
      problem('email', 'Skal udfyldes. / Required.');
    } else if (email.length > 254 || !isSingleLine(email) || !isEmail(email)) {
      problem('email', 'Ikke en gyldig e-mailadresse. / Not a valid email address.');
    } else if (firstLineOf.has(email)) {
      problem(
        'email',
        `Adressen står også i linje ${firstLineOf.get(email)}. / The address is also on line ${firstLineOf.get(email)}.`,
      );
    } else {
      firstLineOf.set(email, line);
    }

    const values: ImportValues = { firstName, lastName, email };

    const phone = textOf(cellOf('phone'));
    if (phone !== '') {
      if (PHONE.test(phone)) {
        values.phone = phone;
      } else {
        problem(
          'phone',
          'Ikke et telefonnummer, f.eks. +45 12 34 56 78. / Not a phone number, e.g. +45 12 34 56 78.',
        );
      }
    }
    const postcode = textOf(cellOf('postcode'));
    if (postcode !== '') {
      if (POSTCODE.test(postcode)) {
        values.postcode = postcode;
      } else {
        problem('postcode', 'Et postnummer har fire cifre. / A postcode has four digits.');
      }
    }

    const day = (key: ColumnKey): string | undefined => {
      const cell = cellOf(key);
      if (textOf(cell) === '') {
        return undefined;
      }
      const result = parseDay(cell!, today);
      if ('problem' in result) {
        problem(key, result.problem);
        return undefined;
      }
      return result.day;
    };
    const blank = (key: ColumnKey) => textOf(cellOf(key)) === '';

    values.appliedOn = day('appliedOn');

    const visitOn = day('visitOn');
    const outcomeText = textOf(cellOf('outcome'));
    const outcome = outcomeText === '' ? undefined : OUTCOMES[wordKey(outcomeText)];
    if (outcomeText !== '' && !outcome) {
      problem(
        'outcome',
        'Udfald skal være godkendt, afslået eller opfølgning. / The outcome must be godkendt, afslået or opfølgning.',
      );
    }
    if (outcomeText !== '' && blank('visitOn')) {
      problem(
        'outcome',
        'Et udfald kræver datoen for hjemmebesøget. / An outcome needs the date of the home visit.',
      );
    }
    if (outcomeText === '' && !blank('visitOn')) {
      problem('outcome', 'Angiv udfaldet af hjemmebesøget. / Give the outcome of the home visit.');
    }
    if (visitOn && outcome) {
      values.visit = { on: visitOn, outcome };
    }

    const attestationOn = day('attestationOn');
    const resultText = textOf(cellOf('attestationResult'));
    const result = resultText === '' ? undefined : RESULTS[wordKey(resultText)];
    if (resultText !== '' && !result) {
      problem(
        'attestationResult',
        'Resultatet skal være ren eller anmærkninger. / The result must be ren or anmærkninger.',
      );
    }
    if (resultText !== '' && blank('attestationOn')) {
      problem(
        'attestationResult',
        'Et resultat kræver datoen, børneattesten blev modtaget. / A result needs the date the certificate was received.',
      );
    }
    if (resultText === '' && !blank('attestationOn')) {
      problem(
        'attestationResult',
        'Angiv børneattestens resultat. / Give the result of the certificate.',
      );
    }
    if (attestationOn && result) {
      values.attestation = { receivedOn: attestationOn, result };
    }

    // A visit and a certificate are steps of the application: never before it. (A course
    // completed before Klar may well be, as in the template's example row.)
    if (values.appliedOn && visitOn && visitOn < values.appliedOn) {
      problem('visitOn', BEFORE_APPLIED);
    }
    if (values.appliedOn && attestationOn && attestationOn < values.appliedOn) {
      problem('attestationOn', BEFORE_APPLIED);
    }

    values.courseCompletedOn = day('courseCompletedOn');

    for (const [key, options] of [
      ['languages', LANGUAGES],
      ['availability', AVAILABILITY],
    ] as const) {
      const text = textOf(cellOf(key));
      if (text === '') {
        continue;
      }
      const chosen = parseOptions(text, options);
      if ('unknown' in chosen) {
        const allowed = options.map((o) => o.da).join(', ');
        const unknown = echoed(chosen.unknown);
        problem(
          key,
          `Ukendt valg: ${unknown} (mulige: ${allowed}). / Unknown choice: ${unknown} (possible: ${options.map((o) => o.en).join(', ')}).`,
        );
      } else {
        values[key] = chosen.codes;
      }
    }

    const notes = textOf(cellOf('notes'));
    if (notes.length > 5000) {
      problem('notes', 'Højst 5000 tegn. / At most 5000 characters.');
    } else if (notes !== '') {
      values.notes = notes;
    }

    for (const key of Object.keys(values) as (keyof ImportValues)[]) {
      if (values[key] === undefined) {
        delete values[key];
      }
    }
    parsed.push({ line, email, values: problems.length === 0 ? values : null, problems, headers });
  }
  return parsed;
}
