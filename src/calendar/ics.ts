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
    name,
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
      summary: entry.title,
      location: entry.location,
      description: entry.description,
      url: options.url,
      status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** The description of a course session: what it covers. */
export function sessionDescription(topics: string[]): string {
  return topics.length > 0
    ? `Forberedende kursus. Emner: ${topics.join(', ')}`
    : 'Forberedende kursus.';
}
