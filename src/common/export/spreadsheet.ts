import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A column of an export. `date` values are Date objects or `YYYY-MM-DD` strings (a day
 * as such, shown as it is) and are written in Copenhagen time; `number` values are numbers.
 */
export interface ExportColumn<Row> {
  header: string;
  key: keyof Row & string;
  type: 'text' | 'date' | 'number';
}

export interface Sheet<Row> {
  /** The file name without its extension: letters, digits, `-` and `_` only. */
  name: string;
  columns: ExportColumn<Row>[];
  rows: Row[];
}

/** What a cell may hold. */
type Cell = string | number | Date | null | undefined;
const cellOf = (row: unknown, key: string): Cell => (row as Record<string, Cell>)[key];

export interface ExportFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

const COPENHAGEN_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day a value names, `YYYY-MM-DD`: a Date read in Copenhagen, a day string as is. */
function dayOf(value: Cell): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (value instanceof Date) {
    return COPENHAGEN_DAY.format(value);
  }
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}/.test(text)
    ? text.slice(0, 10)
    : COPENHAGEN_DAY.format(new Date(text));
}

/** `dd-mm-yyyy`, as Danish Excel reads and writes a date. */
function danishDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}-${m}-${y}`;
}

/** A number with a decimal comma and no thousands separator (Danish Excel reads it as a number). */
function danishNumber(value: number): string {
  return String(value).replace('.', ',');
}

/**
 * The first characters with which a spreadsheet reads a cell as a formula (or, for TAB and
 * CR, hides one behind them): `=`, `+`, `-`, `@`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a person typed, made inert for Excel: a leading `'` makes it show a cell starting
 * with `=`, `+`, `-` or `@` as text instead of running it as a formula (OWASP "CSV
 * injection"). A name `=HYPERLINK(…)` or a phone `+45 …` stays text, shown as typed.
 */
export function inertText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** `inertText` undone: a CSV cell read back (the import template's `'+45 …`) as typed. */
export function fromInertText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

function csvCell(type: ExportColumn<unknown>['type'], value: Cell): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (type === 'date') {
    const day = dayOf(value);
    return day ? danishDate(day) : '';
  }
  if (type === 'number' && (typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(String(value)))) {
    return danishNumber(Number(value));
  }
  return inertText(String(value));
}

/**
 * CSV as Danish Excel opens it with a double click: UTF-8 with a byte order mark (else
 * æ, ø and å come out garbled), `;` between fields (the comma is the decimal mark),
 * dates `dd-mm-yyyy`, numbers with a decimal comma; quoting by csv-stringify.
 */
export function toDanishCsv<Row>(sheet: Omit<Sheet<Row>, 'name'>): Buffer {
  const text = stringify(
    [
      sheet.columns.map((c) => c.header),
      ...sheet.rows.map((row) => sheet.columns.map((c) => csvCell(c.type, cellOf(row, c.key)))),
    ],
    { delimiter: ';', record_delimiter: '\r\n' },
  );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/**
 * XLSX with real date cells (shown `dd-mm-yyyy`) and numbers as numbers, so sorting and
 * sums work in the sheet. A date cell is the day at midnight UTC, which Excel shows as
 * that day whatever the reader's time zone. Text needs no `'` here: exceljs writes a
 * string as a shared string, never as a formula, even when it starts with `=`.
 */
export async function toXlsx<Row>(
  sheet: Omit<Sheet<Row>, 'name'>,
  title = 'Klar',
): Promise<Buffer> {
  // Loaded on the first XLSX, not at start-up: exceljs is large and seldom needed.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Klar';
  const ws = workbook.addWorksheet(title.slice(0, 31));
  ws.columns = sheet.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(12, c.header.length + 2),
    style: c.type === 'date' ? { numFmt: 'dd-mm-yyyy' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of sheet.rows) {
    const values: Record<string, unknown> = {};
    for (const c of sheet.columns) {
      const value = cellOf(row, c.key);
      if (c.type === 'date') {
        const day = dayOf(value);
        values[c.key] = day ? new Date(`${day}T00:00:00Z`) : null;
      } else if (c.type === 'number') {
        values[c.key] = value === null || value === undefined ? null : Number(value);
      } else {
        values[c.key] = value === null || value === undefined ? '' : String(value);
      }
    }
    ws.addRow(values);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportFile<Row>(
  sheet: Sheet<Row>,
  format: ExportFormat,
): Promise<ExportFile> {
  const safeName = sheet.name.replace(/[^A-Za-z0-9_-]+/g, '-');
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      fileName: `${safeName}.csv`,
      body: toDanishCsv(sheet),
    };
  }
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${safeName}.xlsx`,
    body: await toXlsx(sheet),
  };
}

/** Sends an export as a download. */
export function sendExport(res: Response, file: ExportFile): void {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(file.body);
}

/** Today in Copenhagen for file names: `frivillige-2026-11-25.csv`. */
export function fileDay(now = new Date()): string {
  return COPENHAGEN_DAY.format(now);
}
