import { decideHeldAt } from './home-visit-rules';

const at = (iso: string) => new Date(iso);
const now = at('2027-03-10T12:00:00Z');

describe(decideHeldAt.name, () => {
  it('should default to the planned time once it has passed', () => {
    const past = at('2027-03-08T09:00:00Z');
    expect(decideHeldAt({ scheduledAt: past, now, confirmedHeldEarly: false })).toEqual({
      heldAt: past,
      problems: [],
    });
  });

  it('should default to now for a visit planned for later that was confirmed as held', () => {
    const later = at('2027-03-13T09:00:00Z');
    expect(decideHeldAt({ scheduledAt: later, now, confirmedHeldEarly: true }).heldAt).toEqual(now);
  });

  it('should ask about a visit planned for later and refuse a held time in the future, at once', () => {
    const decision = decideHeldAt({
      scheduledAt: at('2027-03-13T09:00:00Z'),
      heldAt: at('2027-03-11T09:00:00Z'),
      now,
      confirmedHeldEarly: false,
    });
    expect(decision.heldAt).toBeNull();
    expect(decision.problems.map((p) => p.field)).toEqual(['held', 'heldAt']);
  });

  it('should take a given time that is not in the future', () => {
    const given = at('2027-03-09T15:00:00Z');
    expect(
      decideHeldAt({
        scheduledAt: at('2027-03-08T09:00:00Z'),
        heldAt: given,
        now,
        confirmedHeldEarly: false,
      }).heldAt,
    ).toEqual(given);
  });
});
