import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Trim } from '../../common/validators';

/** One volunteer's evaluation of a course: every statement scored (checked in the service). */
export class SubmitEvaluationDto {
  @IsUUID('all', { message: 'courseId must be a UUID' })
  courseId: string;

  /** `{"<statementKey>": 1..5}` for every statement of GET /api/v1/me/evaluations. */
  @IsObject()
  answers: Record<string, unknown>;

  @IsOptional()
  @Trim()
  @IsString()
  @Length(0, 2000)
  comment?: string;
}
