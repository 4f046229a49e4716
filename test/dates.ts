import { DateTime } from 'luxon';

/**
 * Dates for tests, counted from today so that no test starts failing on a fixed day (a
 * certificate received on a literal date expires; a literal future visit becomes past).
 */
const ZONE = 'Europe/Copenhagen';

/** The Copenhagen calendar date `days` from today (negative: ago), as YYYY-MM-DD. */
export function dateFromToday(days: number): string {
  return DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;
}

/** `days` from today at `hour`:`minute` Copenhagen time, as ISO 8601 with its offset. */
export function instantFromToday(days: number, hour = 17, minute = 0): string {
  return DateTime.now()
    .setZone(ZONE)
    .plus({ days })
    .set({ hour, minute, second: 0, millisecond: 0 })
    .toISO({ suppressMilliseconds: true })!;
}

/** How a test reads an instant back: Copenhagen wall time, `yyyy-MM-dd HH:mm`. */
export function copenhagenWallTime(iso: string): string {
  return DateTime.fromISO(iso).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm');
}
