import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../../common/export/spreadsheet';
import { SingleLine } from '../../common/validators';

export class YearReportQuery {
  /** The calendar year (Copenhagen); this year when left out. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(2999)
  year?: number;

  /** A branch code; a coordinator gets their own branch without it. Admins: all without it. */
  @IsOptional()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branch?: string;

  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}
