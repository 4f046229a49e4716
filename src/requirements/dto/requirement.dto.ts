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
  @Trim()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{2,40}$/, {
    message:
      'key must be 3 to 41 lower-case letters, digits or underscores, starting with a letter',
  })
  key: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  nameDa: string;

  @Trim()
  @IsString()
  @Length(1, 120)
  @PlainName()
  nameEn: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** Must be met again after this many months (like the certificate); none: once is enough. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  renewMonths?: number;

  /** A topic material that asks for a reading confirmation: then the confirmation meets it. */
  @IsOptional()
  @IsUUID()
  materialId?: string;
}

export class RecordRequirementDto {
  /** The day it was met, `YYYY-MM-DD`, not in the future. */
  @IsCalendarDate()
  metOn: string;
}
