import { DateTime } from 'luxon';
import { TIME_ZONE, toIsoWithOffset } from './dates';

const luxon = (date: Date) =>
  DateTime.fromJSDate(date).setZone(TIME_ZONE).toISO({ suppressMilliseconds: true });

describe('toIsoWithOffset', () => {
  it('should write what luxon writes around every change of offset from 2000 to 2100', () => {
    let compared = 0;
    for (let year = 2000; year <= 2100; year++) {
      // The last Sundays of March and October, where Copenhagen's offset changes.
      for (const month of [3, 10]) {
        const change = DateTime.fromObject({ year, month, day: 31 }, { zone: 'UTC' })
          .minus({ days: DateTime.fromObject({ year, month, day: 31 }).weekday % 7 })
          .set({ hour: 1 });
        // Every 7 minutes and 13 seconds from 3 hours before to 3 hours after, some
        // instants with milliseconds.
        for (let ms = -3 * 3600_000; ms <= 3 * 3600_000; ms += 433_000 + (compared % 3) * 7) {
          const date = new Date(change.toMillis() + ms);
          expect(toIsoWithOffset(date)).toBe(luxon(date));
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('should write the offset and leave out milliseconds only when there are none', () => {
    expect(toIsoWithOffset(new Date('2027-03-04T16:00:00Z'))).toBe('2027-03-04T17:00:00+01:00');
    expect(toIsoWithOffset(new Date('2027-07-04T16:00:00.250Z'))).toBe(
      '2027-07-04T18:00:00.250+02:00',
    );
    expect(toIsoWithOffset(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(toIsoWithOffset(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(toIsoWithOffset(null)).toBeNull();
  });

  it('should agree with luxon on random instants of the years Klar takes', () => {
    let seed = 16;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2101, 0, 1);
    for (let i = 0; i < 5_000; i++) {
      const date = new Date(Math.floor(from + random() * (to - from)));
      expect(toIsoWithOffset(date)).toBe(luxon(date));
    }
  });
});
