import {
  assessReadiness,
  attestationValidUntil,
  deriveStage,
  type ReadinessRecords,
} from './readiness';

const mandatoryTopics = ['frameworks', 'boundaries', 'uncrc', 'child_safety'];
const fullCourse = [
  { hours: 5, topics: ['frameworks', 'relations'] },
  { hours: 5, topics: ['boundaries'] },
  { hours: 5, topics: ['uncrc', 'diverse_families'] },
  { hours: 5, topics: ['child_safety'] },
];
const approvedVisit = {
  outcome: 'approved' as const,
  scheduledAt: new Date('2026-09-01T15:00:00Z'),
};
const cleanCertificate = {
  receivedOn: '2026-01-10',
  result: 'clean' as const,
  createdAt: new Date('2026-01-10T10:00:00Z'),
};

function records(overrides: Partial<ReadinessRecords> = {}): ReadinessRecords {
  return {
    status: 'active',
    homeVisits: [],
    attestations: [],
    attendedSessions: [],
    priorCompletion: null,
    curriculum: { requiredHours: 20, mandatoryTopics },
    attestationValidMonths: 24,
    extraDefinitions: [],
    extraRecords: [],
    confirmations: [],
    today: '2026-11-25',
    ...overrides,
  };
}

const metKeys = (r: ReturnType<typeof assessReadiness>) =>
  r.requirements.filter((q) => q.met).map((q) => q.key);

describe(assessReadiness.name, () => {
  // Every combination of the three requirements: only all three make a volunteer matchable.
  const combinations = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({
    visit: Boolean(bits & 1),
    certificate: Boolean(bits & 2),
    course: Boolean(bits & 4),
  }));

  it.each(combinations)(
    'should be matchable only when all are met (visit $visit, certificate $certificate, course $course)',
    ({ visit, certificate, course }) => {
      const result = assessReadiness(
        records({
          homeVisits: visit ? [approvedVisit] : [],
          attestations: certificate ? [cleanCertificate] : [],
          attendedSessions: course ? fullCourse : fullCourse.slice(0, 2),
        }),
      );
      const expected = [visit && 'home_visit', certificate && 'attestation', course && 'course'];
      expect(metKeys(result)).toEqual(expected.filter(Boolean));
      expect(result.matchable).toBe(visit && certificate && course);
    },
  );

  it('should report the hours attended and the mandatory topics still missing', () => {
    const result = assessReadiness(records({ attendedSessions: fullCourse.slice(0, 2) }));
    expect(result.requirements[2]).toEqual({
      key: 'course',
      met: false,
      detail: { hoursAttended: 10, hoursRequired: 20, missingTopics: ['uncrc', 'child_safety'] },
    });
  });

  it('should not complete the course on hours alone when a mandatory topic is missing', () => {
    const sessions = [{ hours: 24, topics: ['frameworks', 'boundaries', 'uncrc'] }];
    const course = assessReadiness(records({ attendedSessions: sessions })).requirements[2];
    expect(course.met).toBe(false);
    expect(course.detail).toMatchObject({ hoursAttended: 24, missingTopics: ['child_safety'] });
  });

  it('should not complete the course on topics alone when hours are short', () => {
    const sessions = fullCourse.map((s) => ({ ...s, hours: 4.75 }));
    const course = assessReadiness(records({ attendedSessions: sessions })).requirements[2];
    expect(course).toMatchObject({ met: false, detail: { hoursAttended: 19, missingTopics: [] } });
  });

  it('should meet the course in full with a course completed before Klar, and say when', () => {
    const result = assessReadiness(
      records({
        homeVisits: [approvedVisit],
        attestations: [cleanCertificate],
        priorCompletion: { completedOn: '2024-05-30' },
      }),
    );
    expect(result.requirements[2]).toEqual({
      key: 'course',
      met: true,
      detail: {
        hoursAttended: 0,
        hoursRequired: 20,
        missingTopics: mandatoryTopics,
        prior: { completedOn: '2024-05-30' },
      },
    });
    expect(result.matchable).toBe(true);
  });

  it('should keep the hours attended in Klar beside a prior completion, which still decides', () => {
    const course = assessReadiness(
      records({
        attendedSessions: fullCourse.slice(0, 1),
        priorCompletion: { completedOn: '2025-02-01' },
      }),
    ).requirements[2];
    expect(course).toMatchObject({
      met: true,
      detail: { hoursAttended: 5, prior: { completedOn: '2025-02-01' } },
    });
  });

  it('should show no prior completion on a course met in Klar', () => {
    const course = assessReadiness(records({ attendedSessions: fullCourse })).requirements[2];
    expect(course.met).toBe(true);
    expect(course.detail).not.toHaveProperty('prior');
  });

  it('should treat a certificate with entries as not met and say so', () => {
    const result = assessReadiness(
      records({
        homeVisits: [approvedVisit],
        attestations: [{ ...cleanCertificate, result: 'has_entries' }],
        attendedSessions: fullCourse,
      }),
    );
    expect(result.matchable).toBe(false);
    expect(result.requirements[1]).toMatchObject({ met: false, detail: { state: 'has_entries' } });
  });

  it('should treat a certificate as valid through its last day and expired the day after', () => {
    const base = {
      homeVisits: [approvedVisit],
      attestations: [cleanCertificate],
      attendedSessions: fullCourse,
    };
    // received 2026-01-10, 24 months: valid to 2028-01-09 inclusive
    expect(assessReadiness(records({ ...base, today: '2028-01-09' })).matchable).toBe(true);
    const expired = assessReadiness(records({ ...base, today: '2028-01-10' }));
    expect(expired.matchable).toBe(false);
    expect(expired.requirements[1]).toMatchObject({
      met: false,
      detail: { state: 'expired', receivedOn: '2026-01-10', validUntil: '2028-01-09' },
    });
  });

  it('should let the newest certificate decide', () => {
    const renewed = { receivedOn: '2027-12-01', result: 'clean' as const, createdAt: new Date() };
    const result = assessReadiness(
      records({ attestations: [renewed, cleanCertificate], today: '2028-06-01' }),
    );
    expect(result.requirements[1]).toMatchObject({
      met: true,
      detail: { validUntil: '2029-11-30' },
    });
  });

  it('should use the configured renewal period', () => {
    const result = assessReadiness(
      records({ attestations: [cleanCertificate], attestationValidMonths: 6, today: '2026-07-10' }),
    );
    expect(result.requirements[1]).toMatchObject({ met: false, detail: { state: 'expired' } });
  });

  it('should never make a withdrawn volunteer matchable', () => {
    const result = assessReadiness(
      records({
        status: 'withdrawn',
        homeVisits: [approvedVisit],
        attestations: [cleanCertificate],
        attendedSessions: fullCourse,
      }),
    );
    expect(result.requirements.every((r) => r.met)).toBe(true);
    expect(result.matchable).toBe(false);
  });

  it('should read a pending visit as scheduled and a lone follow-up as needing a new visit', () => {
    const pendingAt = new Date('2026-12-01T09:00:00Z');
    const followUp = {
      outcome: 'follow_up' as const,
      scheduledAt: new Date('2026-11-01T09:00:00Z'),
    };
    const pending = { outcome: null, scheduledAt: pendingAt };
    expect(assessReadiness(records({ homeVisits: [followUp] })).requirements[0].detail).toEqual({
      state: 'follow_up',
      nextVisitAt: null,
    });
    expect(
      assessReadiness(records({ homeVisits: [followUp, pending] })).requirements[0].detail,
    ).toEqual({ state: 'scheduled', nextVisitAt: pendingAt });
  });
});

describe(deriveStage.name, () => {
  const stageOf = (overrides: Partial<ReadinessRecords>) => {
    const r = records(overrides);
    return deriveStage(r.status, assessReadiness(r));
  };

  it('should follow the path from applied to matchable', () => {
    const scheduled = { outcome: null, scheduledAt: new Date('2026-12-01T09:00:00Z') };
    expect(stageOf({})).toBe('applied');
    expect(stageOf({ homeVisits: [scheduled] })).toBe('visit_scheduled');
    expect(stageOf({ homeVisits: [approvedVisit] })).toBe('approved');
    expect(
      stageOf({
        homeVisits: [approvedVisit],
        attestations: [cleanCertificate],
        attendedSessions: fullCourse,
      }),
    ).toBe('matchable');
  });

  it('should fall back from matchable to approved when the certificate expires', () => {
    expect(
      stageOf({
        homeVisits: [approvedVisit],
        attestations: [cleanCertificate],
        attendedSessions: fullCourse,
        today: '2028-02-01',
      }),
    ).toBe('approved');
  });

  it('should report a closed application by its status', () => {
    expect(
      stageOf({ status: 'declined', homeVisits: [{ ...approvedVisit, outcome: 'declined' }] }),
    ).toBe('declined');
    expect(stageOf({ status: 'withdrawn', homeVisits: [approvedVisit] })).toBe('withdrawn');
  });
});

describe(attestationValidUntil.name, () => {
  it('should end the day before the same day N months on', () => {
    expect(attestationValidUntil('2026-01-10', 24)).toBe('2028-01-09');
    expect(attestationValidUntil('2026-03-01', 1)).toBe('2026-03-31');
  });

  it('should end on the last day of a month that has no such day (end of month)', () => {
    expect(attestationValidUntil('2026-08-31', 6)).toBe('2027-02-28');
    expect(attestationValidUntil('2027-08-31', 6)).toBe('2028-02-29');
    expect(attestationValidUntil('2024-02-29', 12)).toBe('2025-02-28');
    expect(attestationValidUntil('2026-03-31', 1)).toBe('2026-04-30');
  });
});
