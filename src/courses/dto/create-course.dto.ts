import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { isPlausibleInstant, parseInstant } from '../../common/dates';
import type { FieldError } from '../../common/errors';
import { IsInstant, PlainName, SingleLine, Trim } from '../../common/validators';
import { sessionTimeProblems } from '../course-rules';

export class SessionInputDto {
  /** e.g. `2027-03-04T17:00:00+01:00` */
  @IsInstant()
  startsAt: string;

  @IsInstant()
  endsAt: string;

  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLine()
  location: string;

  /** Curriculum topic codes, e.g. `frameworks`, `uncrc`. */
  @IsArray()
  @ArrayMinSize(1, { message: 'topics must name at least one curriculum topic' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @SingleLine({ each: true })
  topics: string[];

  /** An external trainer's name; leave out when a staff user teaches (trainerUserId). */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  trainerName?: string | null;

  /** A coordinator of the course's branch or an admin (checked in the service). */
  @IsOptional()
  @IsUUID('all')
  trainerUserId?: string | null;
}

export class CreateCourseDto {
  @Trim()
  @IsString()
  @Length(2, 40)
  @SingleLine()
  branchCode: string;

  @Trim()
  @IsString()
  @Length(1, 200)
  @PlainName()
  title: string;

  @IsInt({ message: 'capacity must be a whole number' })
  @Min(1, { message: 'capacity must be at least 1' })
  @Max(500)
  capacity: number;

  @IsArray()
  @ArrayMinSize(1, { message: 'a course needs at least one session' })
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions: SessionInputDto[];

  /** The sessions' times against each other, reported with the field errors (CrossFieldRules). */
  static crossFieldProblems(dto: CreateCourseDto): FieldError[] {
    if (!Array.isArray(dto.sessions)) {
      return [];
    }
    return sessionTimeProblems(
      dto.sessions.map((s: Partial<SessionInputDto> | null) => {
        const startsAt = readableInstant(s?.startsAt);
        const endsAt = readableInstant(s?.endsAt);
        return startsAt && endsAt ? { startsAt, endsAt } : null;
      }),
    );
  }
}

/** An instant the field's own rules accept; any other is already reported on its field. */
export function readableInstant(value: unknown): Date | null {
  const date = typeof value === 'string' ? parseInstant(value) : null;
  return date && isPlausibleInstant(date) ? date : null;
}
