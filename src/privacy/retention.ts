import { DateTime } from 'luxon';
import { TIME_ZONE } from '../common/dates';

/**
 * The day a declined or withdrawn person is erased: the Copenhagen day of the closing
 * plus RETENTION_CLOSED_MONTHS (a month without that day ends on its last day, as
 * PostgreSQL's `date + interval` does), so that the record can say "slettes den …" and the
 * nightly job erases on exactly that day.
 */
export function retentionErasureDay(closedAt: Date, months: number): string {
  return DateTime.fromJSDate(closedAt, { zone: TIME_ZONE })
    .startOf('day')
    .plus({ months })
    .toISODate()!;
}
