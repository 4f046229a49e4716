import { DateTime } from 'luxon';
import type { AttestationResult } from '../attestations/attestation.entity';
import type { HomeVisitOutcome } from '../home-visits/home-visit.entity';
import type { VolunteerStatus } from '../volunteers/volunteer.entity';

/**
 * Readiness ("klar til match") is derived from a volunteer's records, never typed in.
 * Everything here is pure: the caller loads the records and says what day it is.
 */

export const STAGES = [
  'applied',
  'visit_scheduled',
  'approved',
  'matchable',
  'declined',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

export interface ReadinessRecords {
  status: VolunteerStatus;
  /** A visit with `cancelledAt` was called off and counts for nothing. */
  homeVisits: { outcome: HomeVisitOutcome | null; scheduledAt: Date; cancelledAt?: Date | null }[];
  attestations: { receivedOn: string; result: AttestationResult; createdAt: Date }[];
  attendedSessions: { hours: number; topics: string[] }[];
  /** The course completed before Klar (a branch's spreadsheet), or null. */
  priorCompletion: { completedOn: string } | null;
  curriculum: { requiredHours: number; mandatoryTopics: string[] };
  attestationValidMonths: number;
  /** The extra requirements an administrator defined (src/requirements), in order. */
  extraDefinitions: ExtraDefinition[];
  /** What a coordinator recorded of them: the day each was met. */
  extraRecords: { key: string; metOn: string }[];
  /** Reading confirmations, each of one version, with the day (Copenhagen) it was given. */
  confirmations: { materialId: string; version: number; confirmedOn: string }[];
  /** The calendar day in Europe/Copenhagen, `YYYY-MM-DD`. */
  today: string;
}

export type HomeVisitState = 'not_scheduled' | 'scheduled' | 'follow_up' | 'approved' | 'declined';
export type AttestationState = 'missing' | 'valid' | 'expired' | 'has_entries';

export interface HomeVisitRequirement {
  key: 'home_visit';
  met: boolean;
  detail: { state: HomeVisitState; nextVisitAt: Date | null };
}
export interface AttestationRequirement {
  key: 'attestation';
  met: boolean;
  detail: { state: AttestationState; receivedOn: string | null; validUntil: string | null };
}
export interface CourseRequirement {
  key: 'course';
  met: boolean;
  detail: {
    hoursAttended: number;
    hoursRequired: number;
    missingTopics: string[];
    /** Present only when the course was completed before Klar: that meets it in full. */
    prior?: { completedOn: string };
  };
}
export type BuiltInRequirement = HomeVisitRequirement | AttestationRequirement | CourseRequirement;

/** The requirements readiness always has; an extra requirement may not take their keys. */
export const BUILT_IN_REQUIREMENT_KEYS = ['home_visit', 'attestation', 'course'] as const;

/**
 * An extra requirement: met by a coordinator's record, or, with `materialId`, by the
 * volunteer's confirmation of the material's current version (`materialVersion`).
 */
export interface ExtraDefinition {
  key: string;
  nameDa: string;
  nameEn: string;
  renewMonths: number | null;
  materialId: string | null;
  materialVersion: number | null;
}
export type ExtraState = 'missing' | 'met' | 'expired';
export interface ExtraRequirement {
  key: string;
  extra: true;
  met: boolean;
  detail: {
    state: ExtraState;
    nameDa: string;
    nameEn: string;
    metOn: string | null;
    validUntil: string | null;
    materialId: string | null;
  };
}
export type Requirement = BuiltInRequirement | ExtraRequirement;

export const isExtra = (r: Requirement): r is ExtraRequirement => 'extra' in r;

/** Why a volunteer lost the matchable mark: the requirement that went unmet, or closing. */
export type LapseReason =
  | 'application_closed'
  | 'home_visit'
  | 'attestation_missing'
  | 'attestation_expired'
  | 'attestation_has_entries'
  | 'course'
  | { key: string; nameDa: string; nameEn: string };

export interface Readiness {
  matchable: boolean;
  requirements: Requirement[];
}

export function assessReadiness(records: ReadinessRecords): Readiness {
  const requirements: Requirement[] = [
    assessHomeVisit(records.homeVisits),
    assessAttestation(records),
    assessCourse(records.attendedSessions, records.curriculum, records.priorCompletion),
    ...records.extraDefinitions.map((d) => assessExtra(d, records)),
  ];
  return {
    matchable: records.status === 'active' && requirements.every((r) => r.met),
    requirements,
  };
}

export function deriveStage(status: VolunteerStatus, readiness: Readiness): Stage {
  if (status !== 'active') {
    return status;
  }
  if (readiness.matchable) {
    return 'matchable';
  }
  const visit = readiness.requirements.find(
    (r): r is HomeVisitRequirement => r.key === 'home_visit' && !isExtra(r),
  );
  switch (visit?.detail.state) {
    case 'approved':
      return 'approved';
    case 'scheduled':
    case 'follow_up':
      return 'visit_scheduled';
    case 'declined': // only with status declined, handled above
    case 'not_scheduled':
    case undefined:
      return 'applied';
  }
}

/**
 * The last day the mark holds without anything new: the earliest last valid day of the
 * certificate and of the extra requirements that must be renewed. Null when not matchable.
 */
export function matchableUntil(readiness: Readiness): string | null {
  if (!readiness.matchable) {
    return null;
  }
  const days = readiness.requirements
    .map((r) => (r.key === 'attestation' || isExtra(r) ? r.detail.validUntil : null))
    .filter((d): d is string => d !== null)
    .sort();
  return days[0] ?? null;
}

/**
 * An extra requirement: the record, or the confirmation of the material's current
 * version (an older version's no longer counts); with `renewMonths` it lapses like the
 * certificate. SQL has the same rule as the view `volunteer_requirement`
 * (migrations/1766016000000-extra-requirements.ts).
 */
export function assessExtra(
  definition: ExtraDefinition,
  records: Pick<ReadinessRecords, 'extraRecords' | 'confirmations' | 'today'>,
): ExtraRequirement {
  const metOn =
    definition.materialId === null
      ? (records.extraRecords.find((r) => r.key === definition.key)?.metOn ?? null)
      : (records.confirmations.find(
          (c) => c.materialId === definition.materialId && c.version === definition.materialVersion,
        )?.confirmedOn ?? null);
  const validUntil =
    metOn !== null && definition.renewMonths !== null
      ? attestationValidUntil(metOn, definition.renewMonths)
      : null;
  const state: ExtraState =
    metOn === null
      ? 'missing'
      : validUntil !== null && records.today > validUntil
        ? 'expired'
        : 'met';
  return {
    key: definition.key,
    extra: true,
    met: state === 'met',
    detail: {
      state,
      nameDa: definition.nameDa,
      nameEn: definition.nameEn,
      metOn,
      validUntil,
      materialId: definition.materialId,
    },
  };
}

/**
 * An approval is final and a decline closes the application, so either settles the
 * requirement whatever other visits exist; otherwise a pending visit counts before a
 * follow-up that still needs one.
 */
export function assessHomeVisit(all: ReadinessRecords['homeVisits']): HomeVisitRequirement {
  const visits = all.filter((v) => !v.cancelledAt);
  const has = (outcome: HomeVisitOutcome | null) => visits.some((v) => v.outcome === outcome);
  const pending = visits
    .filter((v) => v.outcome === null)
    .map((v) => v.scheduledAt)
    .sort((a, b) => a.getTime() - b.getTime());
  const state: HomeVisitState = has('approved')
    ? 'approved'
    : has('declined')
      ? 'declined'
      : pending.length > 0
        ? 'scheduled'
        : has('follow_up')
          ? 'follow_up'
          : 'not_scheduled';
  return {
    key: 'home_visit',
    met: state === 'approved',
    detail: { state, nextVisitAt: state === 'scheduled' ? pending[0] : null },
  };
}

/**
 * The last day a certificate received on `receivedOn` is valid, after `months` months:
 * the same day that many months on, minus a day; where that month has no such day, its
 * last day (31 Aug + 6 months: 28 Feb). SQL has the same rule as
 * `attestation_valid_until` (migrations/1764720000000-readiness-rules.ts).
 */
export function attestationValidUntil(receivedOn: string, months: number): string {
  const received = DateTime.fromISO(receivedOn, { zone: 'utc' });
  const sameDayLater = received.plus({ months });
  // Luxon clamps to the month's end, so a smaller day means the day does not exist.
  const validUntil =
    sameDayLater.day < received.day ? sameDayLater : sameDayLater.minus({ days: 1 });
  return validUntil.toISODate()!;
}

/** The newest certificate decides: a renewal replaces an expired one. */
export function assessAttestation(
  records: Pick<ReadinessRecords, 'attestations' | 'attestationValidMonths' | 'today'>,
): AttestationRequirement {
  const latest = [...records.attestations].sort(
    (a, b) =>
      b.receivedOn.localeCompare(a.receivedOn) || b.createdAt.getTime() - a.createdAt.getTime(),
  )[0];
  if (!latest) {
    return {
      key: 'attestation',
      met: false,
      detail: { state: 'missing', receivedOn: null, validUntil: null },
    };
  }
  const validUntil = attestationValidUntil(latest.receivedOn, records.attestationValidMonths);
  const state: AttestationState =
    latest.result === 'has_entries'
      ? 'has_entries'
      : records.today <= validUntil
        ? 'valid'
        : 'expired';
  return {
    key: 'attestation',
    met: state === 'valid',
    detail: { state, receivedOn: latest.receivedOn, validUntil },
  };
}

/**
 * The hours and mandatory topics attended in Klar; a course completed before Klar meets
 * the requirement in full whatever was attended since (SQL has the same rule in the view
 * volunteer_course_progress, migrations/1766448000000-imports.ts).
 */
export function assessCourse(
  sessions: ReadinessRecords['attendedSessions'],
  curriculum: ReadinessRecords['curriculum'],
  priorCompletion: ReadinessRecords['priorCompletion'] = null,
): CourseRequirement {
  const attendedTopics = new Set(sessions.flatMap((s) => s.topics));
  const missingTopics = curriculum.mandatoryTopics.filter((t) => !attendedTopics.has(t));
  // Hours are quarter-hour multiples in practice; rounding keeps float sums honest.
  const hoursAttended = Math.round(sessions.reduce((sum, s) => sum + s.hours, 0) * 100) / 100;
  const detail = { hoursAttended, hoursRequired: curriculum.requiredHours, missingTopics };
  if (priorCompletion) {
    return { key: 'course', met: true, detail: { ...detail, prior: { ...priorCompletion } } };
  }
  return {
    key: 'course',
    met: hoursAttended >= curriculum.requiredHours && missingTopics.length === 0,
    detail,
  };
}
