import { DateTime } from 'luxon';

export const TIME_ZONE = 'Europe/Copenhagen';

/** `2027-03-04T17:00:00+01:00`: the instant, written in Copenhagen's offset. */
export function toIsoWithOffset(date: Date): string;
export function toIsoWithOffset(date: Date | null): string | null;
export function toIsoWithOffset(date: Date | null): string | null {
  return date
    ? DateTime.fromJSDate(date).setZone(TIME_ZONE).toISO({ suppressMilliseconds: true })
    : null;
}

/** Today's date in Copenhagen, `YYYY-MM-DD`. */
export function todayInCopenhagen(now: Date = new Date()): string {
  return DateTime.fromJSDate(now).setZone(TIME_ZONE).toISODate()!;
}

/** Accepts only `YYYY-MM-DD` that names a real day (not 2026-02-30). */
export function isRealDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** An ISO 8601 timestamp that states its offset (or Z), so it names one instant. */
export function parseInstant(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    return null;
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** "4. marts 2027 kl. 17.00" / "4 March 2027 at 17:00", for pages and emails. */
export function formatDateTime(date: Date, locale: 'da' | 'en' = 'da'): string {
  return DateTime.fromJSDate(date)
    .setZone(TIME_ZONE)
    .setLocale(locale === 'da' ? 'da-DK' : 'en-GB')
    .toLocaleString(DateTime.DATETIME_MED);
}
