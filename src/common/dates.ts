import { DateTime } from 'luxon';

export const TIME_ZONE = 'Europe/Copenhagen';

/**
 * `2027-03-04T17:00:00+01:00`: the instant, written in Copenhagen's offset (milliseconds
 * only when there are some), as luxon's `toISO({ suppressMilliseconds: true })` writes it.
 *
 * Every list and record of the API writes its times with this, 50 or more a page, and
 * luxon's zone lookup (Intl's formatToParts) was a tenth of a list request's CPU. The
 * offset is looked up once per UTC hour and kept: Copenhagen changes it on a whole UTC
 * hour (01:00 UTC under the EU rules; dates.spec.ts checks 2000-2100 against luxon).
 */
export function toIsoWithOffset(date: Date): string;
export function toIsoWithOffset(date: Date | null): string | null;
export function toIsoWithOffset(date: Date | null): string | null {
  if (!date) {
    return null;
  }
  const ms = date.getTime();
  if (!Number.isFinite(ms)) {
    return DateTime.fromJSDate(date).setZone(TIME_ZONE).toISO({ suppressMilliseconds: true });
  }
  const offset = offsetMinutesAt(ms);
  const local = new Date(ms + offset * 60_000).toISOString(); // 2027-03-04T17:00:00.000Z
  if (local.length !== 24) {
    // A year outside 0000-9999 (six digits and a sign): luxon writes those its own way.
    return DateTime.fromJSDate(date).setZone(TIME_ZONE).toISO({ suppressMilliseconds: true });
  }
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  const time = ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  return `${time}${sign}${hours}:${minutes}`;
}

const HOUR_MS = 3_600_000;
const offsetByHour = new Map<number, number>();

/** Copenhagen's offset from UTC in minutes at `ms`, by the UTC hour it falls in. */
function offsetMinutesAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= 100_000) {
      offsetByHour.clear(); // ~11 years of hours; a long-running process starts over
    }
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: TIME_ZONE }).offset;
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** Today's date in Copenhagen, `YYYY-MM-DD`. */
export function todayInCopenhagen(now: Date = new Date()): string {
  return DateTime.fromJSDate(now).setZone(TIME_ZONE).toISODate()!;
}

/**
 * The years a date or time in Klar can fall in. Nothing Klar records (an application,
 * a visit, a certificate, a course) happened before 2000 or is planned after 2100; a
 * year outside is a typing error (0000, 9999, 1900) and would only break date sums.
 */
export const PLAUSIBLE_YEARS = { from: 2000, to: 2100 } as const;

/** Real time-zone offsets run from -12:00 to +14:00. */
const MAX_OFFSET_MINUTES = { behind: 12 * 60, ahead: 14 * 60 };

/** Accepts only `YYYY-MM-DD` that names a real day (not 2026-02-30). */
export function isRealDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** A real day not before 2000; how late a day may be is each rule's (e.g. not in the future). */
export function isPlausibleDate(value: string): boolean {
  return !isRealDate(value) || Number(value.slice(0, 4)) >= PLAUSIBLE_YEARS.from;
}

/**
 * An ISO 8601 timestamp that states a real offset (or Z), so it names one instant.
 * `+25:00` or `+01:60` is no offset anywhere, though luxon would take it.
 */
export function parseInstant(value: string): Date | null {
  const match =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(value);
  if (!match) {
    return null;
  }
  const [, , , , sign, hours, minutes] = match;
  if (sign !== undefined) {
    const offset = Number(hours) * 60 + Number(minutes);
    const limit = sign === '-' ? MAX_OFFSET_MINUTES.behind : MAX_OFFSET_MINUTES.ahead;
    if (Number(minutes) >= 60 || offset > limit) {
      return null;
    }
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** An instant in the years Klar can plan for (see PLAUSIBLE_YEARS). */
export function isPlausibleInstant(date: Date): boolean {
  const year = DateTime.fromJSDate(date).setZone(TIME_ZONE).year;
  return year >= PLAUSIBLE_YEARS.from && year <= PLAUSIBLE_YEARS.to;
}

/**
 * A `YYYY-MM-DD` day written out, "23. november 2028" / "23 November 2028": for dates a
 * person acts on (a certificate's last valid day), where "2028-11-23" reads as a code.
 */
export function formatLongDay(day: string, locale: 'da' | 'en' = 'da'): string {
  return DateTime.fromISO(day, { zone: TIME_ZONE })
    .setLocale(locale === 'da' ? 'da-DK' : 'en-GB')
    .toLocaleString(DateTime.DATE_FULL);
}

/** "4. marts 2027 kl. 17.00" / "4 March 2027 at 17:00", for pages and emails. */
export function formatDateTime(date: Date, locale: 'da' | 'en' = 'da'): string {
  return DateTime.fromJSDate(date)
    .setZone(TIME_ZONE)
    .setLocale(locale === 'da' ? 'da-DK' : 'en-GB')
    .toLocaleString(DateTime.DATETIME_MED);
}
