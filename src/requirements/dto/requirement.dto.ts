import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsCalendarDate, PlainName, Trim } from '../../common/validators';

export class CreateRequirementDto {
  /** The key readiness names it by, e.g. `confidentiality`; never one of the built-in ones. */
  @ApiProperty({
    pattern: '^[a-z][a-z0-9_]{2,40}$',
    example: 'confidentiality',
    description: 'The key readiness names it by; never a built-in one (409)',
  })
  @Trim()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{2,40}$/, {
    message:
      'key must be 3 to 41 lower-case letters, digits or underscores, starting with a letter',
  })
  key: string;

  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Tavshedserklæring' })
  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  nameDa: string;

  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Confidentiality declaration' })
  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  nameEn: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** Must be met again after this many months (like the certificate); none: once is enough. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 240,
    description: 'Must be met again after this many months; left out: once is enough',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  renewMonths?: number;

  /** A topic material that asks for a reading confirmation: then the confirmation meets it. */
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "A topic material asking for a reading confirmation: the volunteer's confirmation meets it",
  })
  @IsOptional()
  @IsUUID()
  materialId?: string;
}

export class RecordRequirementDto {
  /** The day it was met, `YYYY-MM-DD`, not in the future. */
  @ApiProperty({ format: 'date', example: '2026-11-24', description: 'Not in the future' })
  @IsCalendarDate()
  metOn: string;
}

/** A requirement as the API answers it (`GET`/`POST /api/v1/requirements`). */
export class RequirementDto {
  @ApiProperty({ example: 'confidentiality' })
  key: string;

  @ApiProperty()
  nameDa: string;

  @ApiProperty()
  nameEn: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  renewMonths: number | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  materialId: string | null;
}

/** A requirement on a volunteer's record, as recording it answers. */
export class RequirementOnRecordDto extends RequirementDto {
  @ApiProperty()
  met: boolean;

  @ApiProperty({ enum: ['missing', 'met', 'expired'] })
  state: 'missing' | 'met' | 'expired';

  @ApiProperty({ type: String, format: 'date', nullable: true })
  metOn: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  validUntil: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The name of who recorded it' })
  recordedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  recordedAt: string | null;
}
