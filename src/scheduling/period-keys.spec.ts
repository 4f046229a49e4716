import { dailyPeriodKey, slotPeriodKey } from './period-keys';

describe(dailyPeriodKey.name, () => {
  const nine = { hour: 9, minute: 0 };

  it('should name the Copenhagen day once its time has come', () => {
    // 08:00 UTC is 09:00 in Copenhagen in winter (UTC+1 → 09:00).
    expect(dailyPeriodKey(nine, new Date('2026-11-25T08:00:00Z'))).toBe('2026-11-25');
    expect(dailyPeriodKey(nine, new Date('2026-11-25T22:59:00Z'))).toBe('2026-11-25');
  });

  it('should name yesterday before today’s time, so a start-up catches up and does not run early', () => {
    expect(dailyPeriodKey(nine, new Date('2026-11-25T07:00:00Z'))).toBe('2026-11-24');
    // 23:30 UTC on the 25th is already 00:30 on the 26th in Copenhagen.
    expect(dailyPeriodKey(nine, new Date('2026-11-25T23:30:00Z'))).toBe('2026-11-25');
    expect(dailyPeriodKey({ hour: 0, minute: 1 }, new Date('2026-11-25T23:30:00Z'))).toBe(
      '2026-11-26',
    );
  });

  it('should count a timer that fires a moment early as that day’s run', () => {
    expect(dailyPeriodKey(nine, new Date('2026-11-25T07:59:59.990Z'))).toBe('2026-11-25');
    expect(dailyPeriodKey(nine, new Date('2026-11-25T07:58:00Z'))).toBe('2026-11-24');
  });

  it('should follow summer time', () => {
    // Copenhagen is UTC+2 in summer: 07:00 UTC is 09:00 local.
    expect(dailyPeriodKey(nine, new Date('2026-07-01T07:00:00Z'))).toBe('2026-07-01');
    expect(dailyPeriodKey(nine, new Date('2026-07-01T06:30:00Z'))).toBe('2026-06-30');
    // The night the clock goes forward (29 March 2026) still has one 00:01.
    expect(dailyPeriodKey({ hour: 0, minute: 1 }, new Date('2026-03-29T01:30:00Z'))).toBe(
      '2026-03-29',
    );
  });
});

describe(slotPeriodKey.name, () => {
  it('should name the start of the ten-minute slot in UTC', () => {
    expect(slotPeriodKey(10, new Date('2026-11-25T13:30:00Z'))).toBe('2026-11-25T13:30Z');
    expect(slotPeriodKey(10, new Date('2026-11-25T13:39:00Z'))).toBe('2026-11-25T13:30Z');
    expect(slotPeriodKey(10, new Date('2026-11-25T13:39:59.990Z'))).toBe('2026-11-25T13:40Z');
  });

  it('should keep the two 02:xx hours of the autumn night apart', () => {
    // 25 October 2026: 02:30 local happens at 00:30 UTC (summer) and at 01:30 UTC (winter).
    expect(slotPeriodKey(10, new Date('2026-10-25T00:30:00Z'))).not.toBe(
      slotPeriodKey(10, new Date('2026-10-25T01:30:00Z')),
    );
  });
});
