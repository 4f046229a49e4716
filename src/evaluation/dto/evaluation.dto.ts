import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { FieldError } from '../../common/errors';
import { Trim } from '../../common/validators';
import { answerProblems } from '../evaluation-rules';

/** One volunteer's evaluation of a course: every statement scored 1..5. */
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

  /** The scores, reported with the field errors: a form shows every problem at once. */
  static crossFieldProblems(dto: SubmitEvaluationDto): FieldError[] {
    const { answers } = dto;
    return answers !== null && typeof answers === 'object' && !Array.isArray(answers)
      ? answerProblems(answers)
      : [];
  }
}
