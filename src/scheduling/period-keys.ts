import { DateTime } from 'luxon';
import { TIME_ZONE } from '../common/dates';

/**
 * A cron timer may fire a few milliseconds early; without this slack a 09:00 run that
 * fires at 08:59:59.998 would name yesterday's period (already done) and today's would be
 * skipped. Half a minute early is still "the 09:00 run".
 */
const EARLY_FIRE_GRACE_MS = 30_000;

/** A daily job's time of day on the Copenhagen clock. */
export interface DailyAt {
  hour: number;
  minute: number;
}

/**
 * The period a daily job run at `now` belongs to: the Copenhagen date of the latest
 * scheduled time at or before `now` (`2026-11-25`). Before today's time it is
 * yesterday's period, so a start-up at 03:00 catches up yesterday's 09:00 run if it was
 * missed and does not run today's early.
 */
export function dailyPeriodKey(at: DailyAt, now: Date = new Date()): string {
  const local = DateTime.fromMillis(now.getTime() + EARLY_FIRE_GRACE_MS, { zone: TIME_ZONE });
  let due = local.set({ hour: at.hour, minute: at.minute, second: 0, millisecond: 0 });
  if (due > local) {
    due = due.minus({ days: 1 });
  }
  return due.toISODate()!;
}

/**
 * The slot of a job run every `minutes` (a divisor of 60): the start of the slot in UTC
 * (`2026-11-25T13:30Z`). UTC, not Copenhagen time: on the autumn night the clock goes
 * back, 02:00–02:59 local happens twice, and those two hours' slots must not share keys.
 */
export function slotPeriodKey(minutes: number, now: Date = new Date()): string {
  const slotMs = minutes * 60_000;
  const start = Math.floor((now.getTime() + EARLY_FIRE_GRACE_MS) / slotMs) * slotMs;
  return `${new Date(start).toISOString().slice(0, 16)}Z`;
}
