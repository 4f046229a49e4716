import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { FORMAT_DESCRIPTION } from '../../common/export/dto/export-format.query';
import { EXPORT_FORMATS, type ExportFormat } from '../../common/export/spreadsheet';
import { PageOffset, SingleLine } from '../../common/validators';
import { STAGES, type Stage } from '../../readiness/readiness';

export const VOLUNTEER_SORTS = ['name', 'appliedAt', 'stage'] as const;
export type VolunteerSortKey = (typeof VOLUNTEER_SORTS)[number];
/** A sort key, or the key prefixed `-` for descending. */
export type VolunteerSort = VolunteerSortKey | `-${VolunteerSortKey}`;
const SORT_VALUES = VOLUNTEER_SORTS.flatMap((key) => [key, `-${key}`]);

export class ListVolunteersQuery {
  /** Branch code; a coordinator's own branch is applied regardless. */
  @ApiPropertyOptional({ description: "A branch code; a coordinator's own applies regardless" })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branch?: string;

  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` })
  stage?: Stage;

  /**
   * Matches first name, last name or email, case-insensitively, with Danish letters
   * folded (ø/oe, å/aa, æ/ae); a number matches the phone by its digits.
   */
  @ApiPropertyOptional({
    description: 'First name, last name or email, Danish letters folded; digits match the phone',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @SingleLine()
  q?: string;

  /** Postcodes starting with this, e.g. `80` for 8000-8099. */
  @ApiPropertyOptional({ pattern: '^[0-9]{1,4}$', description: 'Postcodes starting with this' })
  @IsOptional()
  @Matches(/^[0-9]{1,4}$/, { message: 'postcode must be 1 to 4 digits' })
  postcode?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'matchable must be true or false' })
  matchable?: boolean;

  /** `name` (last, then first name), `appliedAt` or `stage` (in path order); `-` descends. */
  @ApiPropertyOptional({ enum: SORT_VALUES, description: '`-` first descends' })
  @IsOptional()
  @IsIn(SORT_VALUES, { message: `sort must be one of ${SORT_VALUES.join(', ')}` })
  sort?: VolunteerSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @PageOffset()
  offset: number = 0;

  /** Every matching row as a file (`limit`/`offset` ignored) instead of a page of JSON. */
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: `${FORMAT_DESCRIPTION}; every matching row, limit and offset ignored`,
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}

/** The matchable pool's filters: who is free when, speaks what, lives where. */
export class MatchablePoolQuery {
  @IsOptional()
  @Matches(/^[0-9]{1,4}$/, { message: 'postcode must be 1 to 4 digits' })
  postcode?: string;

  @IsOptional()
  @IsString()
  @Length(1, 60)
  @SingleLine()
  availability?: string;

  @IsOptional()
  @IsString()
  @Length(1, 60)
  @SingleLine()
  language?: string;

  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}
