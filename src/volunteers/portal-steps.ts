import { formatDateTime } from '../common/dates';
import type { Readiness } from '../readiness/readiness';

export interface PortalStep {
  title: string;
  met: boolean;
  /** What happens next and who does it. */
  next: string;
}

/** The volunteer's path as steps, in Danish, for the personal page. */
export function portalSteps(readiness: Readiness): PortalStep[] {
  const steps: PortalStep[] = [
    { title: 'Ansøgning modtaget', met: true, next: 'Vi har din ansøgning.' },
  ];
  for (const requirement of readiness.requirements) {
    switch (requirement.key) {
      case 'home_visit': {
        const { state, nextVisitAt } = requirement.detail;
        const next = {
          not_scheduled: 'Din koordinator kontakter dig for at aftale et hjemmebesøg.',
          scheduled: nextVisitAt
            ? `Din koordinator besøger dig ${formatDateTime(nextVisitAt)}.`
            : 'Et hjemmebesøg er aftalt.',
          follow_up: 'Din koordinator aftaler et opfølgende besøg med dig.',
          approved: 'Hjemmebesøget er gennemført og godkendt.',
          declined: 'Din koordinator har kontaktet dig om udfaldet.',
        }[state];
        steps.push({ title: 'Hjemmebesøg', met: requirement.met, next });
        break;
      }
      case 'attestation': {
        const { state, validUntil } = requirement.detail;
        const next = {
          missing: 'Din koordinator indhenter børneattesten med dit samtykke.',
          valid: `Børneattesten er i orden (gyldig til ${validUntil}).`,
          expired: 'Børneattesten skal fornyes; din koordinator indhenter en ny.',
          has_entries: 'Din koordinator kontakter dig om børneattesten.',
        }[state];
        steps.push({ title: 'Børneattest', met: requirement.met, next });
        break;
      }
      case 'course': {
        const { hoursAttended, hoursRequired, missingTopics } = requirement.detail;
        const next = requirement.met
          ? 'Du har gennemført det forberedende kursus.'
          : `${hoursAttended} af ${hoursRequired} timer` +
            (missingTopics.length > 0 ? `; emner du mangler: ${missingTopics.length}.` : '.');
        steps.push({ title: 'Forberedende kursus', met: requirement.met, next });
        break;
      }
    }
  }
  steps.push({
    title: 'Klar til match',
    met: readiness.matchable,
    next: readiness.matchable
      ? 'Din koordinator finder en familie, der passer til dig.'
      : 'Når alle trin er klaret, er du klar til at blive matchet med en familie.',
  });
  return steps;
}
