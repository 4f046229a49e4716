import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../../common/export/spreadsheet';
import { FORMAT_DESCRIPTION } from '../../common/export/dto/export-format.query';
import { SingleLine } from '../../common/validators';

export class YearReportQuery {
  /** The calendar year (Copenhagen); this year when left out. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 2000,
    maximum: 2999,
    description: 'The calendar year (Copenhagen); this year when left out; not a year to come',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(2999)
  year?: number;

  /** A branch code; a coordinator gets their own branch without it. Admins: all without it. */
  @ApiPropertyOptional({
    description:
      "A branch code; a coordinator's own without it, an administrator's national totals",
  })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branch?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: FORMAT_DESCRIPTION })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}
