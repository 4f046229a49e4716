import { IsInstant } from '../../common/validators';

export class RescheduleHomeVisitDto {
  /** The new time, e.g. `2027-03-04T17:00:00+01:00`; not in the past. */
  @IsInstant()
  scheduledAt: string;
}
