import { DateTime } from 'luxon';
import { TIME_ZONE } from '../common/dates';
import type { Locale } from '../volunteers/volunteer.entity';

/** A session the volunteer was present at, as the certificate lists it. */
export interface AttendedSession {
  courseId: string;
  courseTitle: string;
  startsAt: Date;
  endsAt: Date;
  hours: number;
  /** Topic codes, in curriculum order. */
  topics: string[];
}

/** Everything printed on a course certificate, already in the reader's language. */
export interface Certificate {
  locale: Locale;
  organisation: string;
  volunteerName: string;
  branchName: string;
  courseTitle: string;
  /** First and last day attended, written out. */
  period: string;
  hours: string;
  topics: string[];
  sessions: { day: string; time: string; hours: string; course: string; topics: string[] }[];
  issuedOn: string;
}

/**
 * The certificate's text from what the volunteer attended. Every session counts, those of
 * other courses too (a missed session made up elsewhere), so the hours are the ones the
 * course requirement counted.
 */
export function buildCertificate(input: {
  locale: Locale;
  organisation: string;
  volunteerName: string;
  branchName: string;
  courseTitle: string;
  sessions: AttendedSession[];
  topicTitles: Map<string, string>;
  topicOrder: string[];
  now: Date;
}): Certificate {
  const { locale } = input;
  const sessions = [...input.sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const title = (code: string) => input.topicTitles.get(code) ?? code;
  const covered = new Set(sessions.flatMap((s) => s.topics));
  const total = Math.round(sessions.reduce((sum, s) => sum + s.hours, 0) * 100) / 100;
  const first = sessions[0]?.startsAt ?? input.now;
  const last = sessions[sessions.length - 1]?.startsAt ?? input.now;
  const firstDay = longDay(first, locale);
  const lastDay = longDay(last, locale);
  return {
    locale,
    organisation: input.organisation,
    volunteerName: input.volunteerName,
    branchName: input.branchName,
    courseTitle: input.courseTitle,
    period: firstDay === lastDay ? firstDay : `${firstDay} – ${lastDay}`,
    hours: formatHours(total, locale),
    topics: input.topicOrder.filter((code) => covered.has(code)).map(title),
    sessions: sessions.map((s) => ({
      day: longDay(s.startsAt, locale),
      time: `${clock(s.startsAt, locale)}–${clock(s.endsAt, locale)}`,
      hours: formatHours(s.hours, locale),
      course: s.courseTitle,
      topics: s.topics.map(title),
    })),
    issuedOn: longDay(input.now, locale),
  };
}

/** "4. marts 2027" / "4 March 2027", in Copenhagen. */
function longDay(date: Date, locale: Locale): string {
  return DateTime.fromJSDate(date)
    .setZone(TIME_ZONE)
    .setLocale(locale === 'en' ? 'en-GB' : 'da-DK')
    .toLocaleString(DateTime.DATE_FULL);
}

/** "17.00" / "17:00", in Copenhagen. */
function clock(date: Date, locale: Locale): string {
  return DateTime.fromJSDate(date)
    .setZone(TIME_ZONE)
    .toFormat(locale === 'en' ? 'HH:mm' : 'HH.mm');
}

/** `7,5` in Danish, `7.5` in English. */
export function formatHours(hours: number, locale: Locale): string {
  const rounded = String(Math.round(hours * 100) / 100);
  return locale === 'en' ? rounded : rounded.replace('.', ',');
}
