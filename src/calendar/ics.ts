import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../common/dates';

export interface CalendarEntry {
  /** The record's id (a session, a home visit): the UID stays the same across changes. */
  uid: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  description: string;
  sequence: number;
  cancelled: boolean;
  /** When the session last changed; used as DTSTAMP so an unchanged feed is byte-identical. */
  changedAt: Date;
}

const local = (date: Date) => DateTime.fromJSDate(date).setZone(TIME_ZONE);

/**
 * Characters that may not stand in an iCalendar TEXT value (RFC 5545 §3.3.11 allows no
 * control characters but HTAB) or that some readers take as a line end. Left in, a
 * title could end its line and start properties, or whole events, of its own.
 */
const LINE_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/** A text value for a one-line property (a title, a place): every line break becomes a space. */
export function oneLineText(value: string): string {
  return value
    .replace(LINE_BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(/\p{Cc}/gu, '');
}

/** A text value that may span lines (a description): line breaks kept, other controls removed. */
export function multiLineText(value: string): string {
  return value.replace(LINE_BREAKS, '\n').replace(/[^\P{Cc}\t\n]/gu, '');
}

/** RFC 5545 TEXT escaping, for the properties ical-generator writes as given. */
export function escapeIcsText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/**
 * How an event names the page its link opens: the page explains the personal link and
 * sends it again (a calendar is shared more freely than mail, so it carries no token).
 */
const PAGE_LINK_LABEL = 'Din personlige side / Your personal page';

/**
 * An iCalendar file with the Europe/Copenhagen VTIMEZONE, every time local to it, so a
 * 17:00 session stays 17:00 on both sides of a daylight-saving change.
 */
export function renderCalendar(
  name: string,
  entries: CalendarEntry[],
  options: { url: string; method?: 'publish' | 'cancel' },
): string {
  // The zone goes on the events and the generator on the calendar: a calendar-wide zone
  // would also write DTSTAMP in local time, which RFC 5545 requires in UTC.
  const calendar = ical({
    // ical-generator escapes the text of events but writes NAME and X-WR-CALNAME as
    // given, so the calendar's name (a course title) is escaped here.
    name: escapeIcsText(oneLineText(name)),
    prodId: { company: 'Klar', product: 'Klar', language: 'DA' },
    timezone: { name: null, generator: getVtimezoneComponent },
    method: options.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  calendar.x([{ key: 'X-WR-TIMEZONE', value: TIME_ZONE }]);
  for (const entry of entries) {
    calendar.createEvent({
      id: `${entry.uid}@klar`,
      sequence: entry.sequence,
      stamp: entry.changedAt,
      start: local(entry.startsAt),
      end: local(entry.endsAt),
      timezone: TIME_ZONE,
      summary: oneLineText(entry.title),
      location: oneLineText(entry.location),
      // Many calendar apps never show URL, so the description says where it leads too.
      description: `${multiLineText(entry.description)}\n\n${PAGE_LINK_LABEL}: ${options.url}`,
      url: options.url,
      status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** The description of a course session: what it covers. */
export function sessionDescription(topics: string[], locale: 'da' | 'en' = 'da'): string {
  const [course, named] =
    locale === 'en' ? ['Preparatory course.', 'Topics'] : ['Forberedende kursus.', 'Emner'];
  return topics.length > 0 ? `${course} ${named}: ${topics.join(', ')}` : course;
}
