import { IsIn, IsOptional } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../spreadsheet';

/** `format=csv|xlsx` on a list route: the rows as a file instead of JSON. */
export class ExportFormatQuery {
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}
