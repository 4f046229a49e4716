import type { FieldError } from '../../common/errors';
import { sessionTimeProblems } from '../course-rules';
import { readableInstant, SessionInputDto } from './create-course.dto';

/** One more session for a course: the fields and rules of a session in course creation. */
export class AddSessionDto extends SessionInputDto {
  /** Its end against its start, with the field errors; overlaps need the course (the service). */
  static crossFieldProblems(dto: AddSessionDto): FieldError[] {
    const startsAt = readableInstant(dto.startsAt);
    const endsAt = readableInstant(dto.endsAt);
    return startsAt && endsAt
      ? sessionTimeProblems([{ startsAt, endsAt }]).map((p) => ({
          ...p,
          field: p.field.replace(/^sessions\.\d+\./, ''),
        }))
      : [];
  }
}
