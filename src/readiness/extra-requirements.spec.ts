import {
  assessExtra,
  assessReadiness,
  deriveStage,
  type ExtraDefinition,
  matchableUntil,
  type ReadinessRecords,
} from './readiness';

const allBuiltInsMet: ReadinessRecords = {
  status: 'active',
  homeVisits: [{ outcome: 'approved', scheduledAt: new Date('2026-09-01T15:00:00Z') }],
  attestations: [
    { receivedOn: '2026-01-10', result: 'clean', createdAt: new Date('2026-01-10T10:00:00Z') },
  ],
  attendedSessions: [{ hours: 20, topics: ['frameworks'] }],
  priorCompletion: null,
  curriculum: { requiredHours: 20, mandatoryTopics: ['frameworks'] },
  attestationValidMonths: 24,
  extraDefinitions: [],
  extraRecords: [],
  confirmations: [],
  today: '2026-11-25',
};

const confidentiality: ExtraDefinition = {
  key: 'confidentiality',
  nameDa: 'Tavshedserklæring',
  nameEn: 'Confidentiality declaration',
  renewMonths: null,
  materialId: null,
  materialVersion: null,
};
const policy: ExtraDefinition = {
  key: 'child_policy',
  nameDa: 'Børnesikkerhedspolitik',
  nameEn: 'Child safety policy',
  renewMonths: null,
  materialId: 'material-1',
  materialVersion: 2,
};

describe('Readiness with extra requirements', () => {
  it('should list each extra requirement after the built-in ones, by its key', () => {
    const result = assessReadiness({
      ...allBuiltInsMet,
      extraDefinitions: [confidentiality, policy],
    });
    expect(result.requirements.map((r) => r.key)).toEqual([
      'home_visit',
      'attestation',
      'course',
      'confidentiality',
      'child_policy',
    ]);
    expect(result.requirements[3]).toEqual({
      key: 'confidentiality',
      extra: true,
      met: false,
      detail: {
        state: 'missing',
        nameDa: 'Tavshedserklæring',
        nameEn: 'Confidentiality declaration',
        metOn: null,
        validUntil: null,
        materialId: null,
      },
    });
  });

  it('should make a volunteer matchable only when every extra requirement is met too', () => {
    const base = { ...allBuiltInsMet, extraDefinitions: [confidentiality, policy] };
    const recorded = [{ key: 'confidentiality', metOn: '2026-11-01' }];
    const confirmed = [{ materialId: 'material-1', version: 2, confirmedOn: '2026-11-20' }];
    expect(assessReadiness(base).matchable).toBe(false);
    expect(assessReadiness({ ...base, extraRecords: recorded }).matchable).toBe(false);
    expect(assessReadiness({ ...base, confirmations: confirmed }).matchable).toBe(false);
    const all = assessReadiness({ ...base, extraRecords: recorded, confirmations: confirmed });
    expect(all.matchable).toBe(true);
    expect(deriveStage('active', all)).toBe('matchable');
    // Without an approved visit the extras do not make anyone matchable.
    expect(
      assessReadiness({ ...base, homeVisits: [], extraRecords: recorded, confirmations: confirmed })
        .matchable,
    ).toBe(false);
  });

  it("should count only a confirmation of the material's current version", () => {
    const old = assessExtra(policy, {
      extraRecords: [],
      confirmations: [{ materialId: 'material-1', version: 1, confirmedOn: '2026-10-01' }],
      today: '2026-11-25',
    });
    expect(old).toMatchObject({ met: false, detail: { state: 'missing', metOn: null } });
    const current = assessExtra(policy, {
      extraRecords: [],
      confirmations: [
        { materialId: 'material-1', version: 1, confirmedOn: '2026-10-01' },
        { materialId: 'material-1', version: 2, confirmedOn: '2026-11-20' },
      ],
      today: '2026-11-25',
    });
    expect(current).toMatchObject({ met: true, detail: { state: 'met', metOn: '2026-11-20' } });
  });

  it('should not let a record meet a requirement that a confirmation meets, nor the other way round', () => {
    const records = {
      extraRecords: [{ key: 'child_policy', metOn: '2026-11-01' }],
      confirmations: [{ materialId: 'material-1', version: 1, confirmedOn: '2026-11-01' }],
      today: '2026-11-25',
    };
    expect(assessExtra(policy, records).met).toBe(false);
    expect(assessExtra({ ...confidentiality, materialId: null }, records).met).toBe(false);
  });

  it('should lapse a renewable requirement after N months, on the same last day as a certificate', () => {
    const yearly = { ...confidentiality, renewMonths: 12 };
    const on = (today: string) =>
      assessExtra(yearly, {
        extraRecords: [{ key: 'confidentiality', metOn: '2025-11-26' }],
        confirmations: [],
        today,
      });
    expect(on('2026-11-25')).toMatchObject({
      met: true,
      detail: { state: 'met', validUntil: '2026-11-25' },
    });
    expect(on('2026-11-26')).toMatchObject({
      met: false,
      detail: { state: 'expired', metOn: '2025-11-26', validUntil: '2026-11-25' },
    });
  });

  it('should end the mark on the earliest last valid day of the certificate and the renewable requirements', () => {
    const base = {
      ...allBuiltInsMet,
      extraDefinitions: [{ ...confidentiality, renewMonths: 12 }],
      extraRecords: [{ key: 'confidentiality', metOn: '2026-03-01' }],
    };
    // Certificate valid until 2028-01-09, the declaration until 2027-02-28.
    expect(matchableUntil(assessReadiness(base))).toBe('2027-02-28');
    expect(matchableUntil(assessReadiness({ ...base, extraDefinitions: [confidentiality] }))).toBe(
      '2028-01-09',
    );
    expect(matchableUntil(assessReadiness({ ...base, extraRecords: [] }))).toBeNull();
  });
});
