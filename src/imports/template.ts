import {
  type ExportFile,
  type ExportFormat,
  toDanishCsv,
  toXlsx,
} from '../common/export/spreadsheet';
import { IMPORT_COLUMNS, TEMPLATE_EXAMPLE } from './parse';

/**
 * The template a branch fills in: the header line of api.md (CSV with `;` and a BOM, as
 * Danish Excel opens it) and one example row; the XLSX has the same cells as text.
 */
export async function importTemplate(format: ExportFormat): Promise<ExportFile> {
  const sheet = {
    columns: IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, type: 'text' as const })),
    rows: [TEMPLATE_EXAMPLE],
  };
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      fileName: 'klar-import-skabelon.csv',
      body: toDanishCsv(sheet),
    };
  }
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: 'klar-import-skabelon.xlsx',
    body: await toXlsx(sheet, 'Frivillige'),
  };
}
