import { IsInstant } from '../../common/validators';

export class ScheduleHomeVisitDto {
  /** When the coordinator visits, e.g. `2027-03-04T17:00:00+01:00`. */
  @IsInstant()
  scheduledAt: string;
}
