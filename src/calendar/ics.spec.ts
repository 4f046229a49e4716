import ical, { type VEvent } from 'node-ical';
import { type CalendarEntry, renderCalendar } from './ics';

/** A title that, written raw, ends its line and adds an event of its own. */
const injected = (br: string) =>
  [
    'Forårskursus',
    'BEGIN:VEVENT',
    'UID:evil@example',
    'SUMMARY:Gratis kursus',
    'DTSTART:20270101T100000Z',
    'DTEND:20270101T110000Z',
    'END:VEVENT',
  ].join(br);

const entry = (overrides: Partial<CalendarEntry> = {}): CalendarEntry => ({
  uid: 'session-1',
  title: 'Forårskursus',
  startsAt: new Date('2027-03-04T16:00:00Z'),
  endsAt: new Date('2027-03-04T19:00:00Z'),
  location: 'Frivillighuset',
  description: 'Forberedende kursus.',
  sequence: 0,
  cancelled: false,
  changedAt: new Date('2026-11-01T10:00:00Z'),
  ...overrides,
});

const parse = (text: string) => Object.values(ical.sync.parseICS(text));

describe(renderCalendar.name, () => {
  it.each(['\r\n', '\n', '\r'])(
    'should keep a title with line breaks (%j) in its own properties',
    (br) => {
      const title = injected(br);
      const text = renderCalendar(title, [entry({ title, location: title, description: title })], {
        url: 'http://klar.test/v',
      });
      const components = parse(text);
      const events = components.filter((c): c is VEvent => c?.type === 'VEVENT');
      const flat = injected(' ');

      expect(events).toHaveLength(1);
      expect(events[0].uid).toBe('session-1@klar');
      expect(events[0].summary).toBe(flat);
      expect(events[0].location).toBe(flat);
      expect(events[0].description).toBe(
        `${injected('\n')}\n\nDin personlige side / Your personal page: http://klar.test/v`,
      );
      expect(components.find((c) => c?.type === 'VCALENDAR')).toMatchObject({
        name: flat,
        'WR-CALNAME': flat,
      });
      expect(text).not.toMatch(/^UID:evil/m);
    },
  );

  it('should escape the text separators and drop control characters in the calendar name', () => {
    const name = 'Kursus; Aarhus, Nord \\ efterår\u0000\u001b';
    const text = renderCalendar(name, [entry()], { url: 'http://klar.test/v' });

    expect(text).toContain('X-WR-CALNAME:Kursus\\; Aarhus\\, Nord \\\\ efterår\r\n');
    expect(parse(text).find((c) => c?.type === 'VCALENDAR')).toMatchObject({
      'WR-CALNAME': 'Kursus; Aarhus, Nord \\ efterår',
    });
  });
});
