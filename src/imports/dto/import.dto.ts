import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../../common/export/spreadsheet';
import { SingleLine, Trim } from '../../common/validators';

/** The form fields of `POST /api/v1/imports` beside the file (multipart: all text). */
export class ImportFileDto {
  /** The branch imported into: required for an administrator, a coordinator's own otherwise. */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 40)
  @SingleLine()
  branchCode?: string;

  /** `true` (the default): only the report, nothing written. */
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';

  /** `true`: each person created gets the mail with their personal link. */
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'sendLinks must be true or false' })
  sendLinks?: 'true' | 'false';
}

export class ImportTemplateQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}

class ImportProblemDto {
  @ApiProperty({ description: 'The header of the column as the file writes it' })
  column: string;

  @ApiProperty({ description: 'Dansk. / English.' })
  message: string;
}

class ImportRowDto {
  @ApiProperty({ description: 'The line in the file (the header is line 1)' })
  row: number;

  @ApiProperty()
  email: string;

  @ApiProperty({ enum: ['create', 'update', 'unchanged', 'error'] })
  action: string;

  @ApiProperty({ type: [ImportProblemDto] })
  problems: ImportProblemDto[];
}

/** The report of an import or a dry run (api.md). */
export class ImportReportDto {
  @ApiProperty()
  created: number;

  @ApiProperty()
  updated: number;

  @ApiProperty()
  unchanged: number;

  @ApiProperty()
  errorRows: number;

  @ApiProperty({ type: [ImportRowDto] })
  rows: ImportRowDto[];
}

export class ImportRejectedDto {
  @ApiProperty({ example: 422 })
  statusCode: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ type: ImportReportDto })
  report: ImportReportDto;
}
