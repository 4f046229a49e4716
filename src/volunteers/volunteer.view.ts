import { attestationValidUntil, deriveStage, type Readiness } from '../readiness/readiness';
import { toReadinessView } from '../readiness/readiness.view';
import type { Attestation } from '../attestations/attestation.entity';
import type { Branch } from '../branches/branch.entity';
import { toIsoWithOffset } from '../common/dates';
import type { HomeVisit } from '../home-visits/home-visit.entity';
import { toConsentView } from '../privacy/consent';
import type { Volunteer } from './volunteer.entity';

export const toHomeVisitView = (visit: HomeVisit) => ({
  id: visit.id,
  volunteerId: visit.volunteerId,
  scheduledAt: toIsoWithOffset(visit.scheduledAt),
  outcome: visit.outcome,
  notes: visit.notes,
  heldAt: toIsoWithOffset(visit.heldAt),
  outcomeAt: toIsoWithOffset(visit.outcomeAt),
  cancelledAt: toIsoWithOffset(visit.cancelledAt),
});

export const toAttestationView = (attestation: Attestation, validMonths: number) => ({
  id: attestation.id,
  requestedOn: attestation.requestedOn,
  receivedOn: attestation.receivedOn,
  result: attestation.result,
  validUntil: attestationValidUntil(attestation.receivedOn, validMonths),
});

export function toVolunteerView(
  described: {
    volunteer: Volunteer;
    readiness: Readiness;
    branch: Branch;
    homeVisits: HomeVisit[];
    attestations: Attestation[];
    closedByName?: string | null;
  },
  validMonths: number,
) {
  const { volunteer, readiness, branch } = described;
  return {
    id: volunteer.id,
    firstName: volunteer.firstName,
    lastName: volunteer.lastName,
    email: volunteer.email,
    phone: volunteer.phone,
    postcode: volunteer.postcode,
    branchCode: branch.code,
    // Derived afresh: the stored stage may trail a certificate that expired today.
    stage: deriveStage(volunteer.status, readiness),
    matchable: readiness.matchable,
    motivation: volunteer.motivation,
    experience: volunteer.experience,
    availability: volunteer.availability,
    languages: volunteer.languages,
    locale: volunteer.locale,
    appliedAt: toIsoWithOffset(volunteer.createdAt),
    consentAt: toIsoWithOffset(volunteer.consentAt),
    // Imported people: `{givenAt: null, textVersion: null, source: 'import'}` until they consent.
    consent: toConsentView(volunteer),
    readiness: toReadinessView(readiness, volunteer.matchableSince),
    // Why and when the application was closed; null while it is active.
    closing:
      volunteer.status === 'active'
        ? null
        : {
            status: volunteer.status,
            closedAt: toIsoWithOffset(volunteer.closedAt),
            closedByName: described.closedByName ?? null,
            reason: volunteer.closedReason,
            note: volunteer.closedNote,
          },
    homeVisits: described.homeVisits.map(toHomeVisitView),
    attestations: described.attestations.map((a) => toAttestationView(a, validMonths)),
  };
}
