import { formatDateTime, formatLongDay } from '../common/dates';
import { isExtra, type Readiness } from '../readiness/readiness';

type Lang = 'da' | 'en';

export interface PortalStep {
  title: string;
  met: boolean;
  /** What happens next and who does it. */
  next: string;
  who: string;
  /** An extra requirement met by reading a material: the material to read and confirm. */
  material?: { id: string; title: string; downloadUrl: string; confirmed: boolean };
}

/** A material an extra requirement asks the volunteer to read, as the page links it. */
export interface StepMaterial {
  id: string;
  title: string;
  downloadUrl: string;
}

const pick = (lang: Lang, da: string, en: string) => (lang === 'en' ? en : da);

/**
 * The volunteer's path as steps for the personal page: applied, home visit, child
 * certificate, course (hours so far and the topics still to take), ready.
 */
export function portalSteps(
  readiness: Readiness,
  lang: Lang = 'da',
  topicTitles: Map<string, string> = new Map(),
  materials: Map<string, StepMaterial> = new Map(),
): PortalStep[] {
  const t = (da: string, en: string) => pick(lang, da, en);
  const coordinator = t('Din koordinator', 'Your coordinator');
  const you = t('Dig', 'You');
  const steps: PortalStep[] = [
    {
      title: t('Ansøgning modtaget', 'Application received'),
      met: true,
      next: t('Vi har din ansøgning.', 'We have your application.'),
      who: you,
    },
  ];
  for (const requirement of readiness.requirements) {
    if (isExtra(requirement)) {
      const { state, materialId, validUntil, nameDa, nameEn } = requirement.detail;
      const material = materialId ? materials.get(materialId) : undefined;
      const until = validUntil ? formatLongDay(validUntil, lang) : '';
      const next = {
        met: validUntil
          ? t(`I orden (gyldig til ${until}).`, `Done (valid until ${until}).`)
          : t('I orden.', 'Done.'),
        expired: material
          ? t(
              'Skal fornyes: læs materialet og bekræft igen.',
              'Must be renewed: read the material and confirm again.',
            )
          : t(
              'Skal fornyes; din koordinator kontakter dig.',
              'Must be renewed; your coordinator will contact you.',
            ),
        missing: material
          ? t(
              'Læs materialet og bekræft, at du har læst det.',
              'Read the material and confirm that you have read it.',
            )
          : t(
              'Din koordinator registrerer det, når det er i orden.',
              'Your coordinator records it when it is done.',
            ),
      }[state];
      steps.push({
        title: t(nameDa, nameEn),
        met: requirement.met,
        next,
        who: material ? you : coordinator,
        ...(material ? { material: { ...material, confirmed: requirement.met } } : {}),
      });
      continue;
    }
    switch (requirement.key) {
      case 'home_visit': {
        const { state, nextVisitAt } = requirement.detail;
        const next = {
          not_scheduled: t(
            'Din koordinator kontakter dig for at aftale et hjemmebesøg.',
            'Your coordinator will contact you to arrange a home visit.',
          ),
          scheduled: nextVisitAt
            ? t(
                `Din koordinator besøger dig ${formatDateTime(nextVisitAt, 'da')}.`,
                `Your coordinator visits you on ${formatDateTime(nextVisitAt, 'en')}.`,
              )
            : t('Et hjemmebesøg er aftalt.', 'A home visit is arranged.'),
          follow_up: t(
            'Din koordinator aftaler et opfølgende besøg med dig.',
            'Your coordinator will arrange a follow-up visit with you.',
          ),
          approved: t(
            'Hjemmebesøget er gennemført og godkendt.',
            'The home visit is done and approved.',
          ),
          declined: t(
            'Din koordinator har kontaktet dig om udfaldet.',
            'Your coordinator has been in touch about the outcome.',
          ),
        }[state];
        steps.push({
          title: t('Hjemmebesøg', 'Home visit'),
          met: requirement.met,
          next,
          who: coordinator,
        });
        break;
      }
      case 'attestation': {
        const { state } = requirement.detail;
        const validUntil = requirement.detail.validUntil
          ? formatLongDay(requirement.detail.validUntil, lang)
          : '';
        const next = {
          missing: t(
            'Din koordinator indhenter børneattesten med dit samtykke.',
            'Your coordinator obtains the child certificate with your consent.',
          ),
          valid: t(
            `Børneattesten er i orden (gyldig til ${validUntil}).`,
            `The child certificate is in order (valid until ${validUntil}).`,
          ),
          expired: t(
            'Børneattesten skal fornyes; din koordinator indhenter en ny.',
            'The child certificate must be renewed; your coordinator obtains a new one.',
          ),
          has_entries: t(
            'Din koordinator kontakter dig om børneattesten.',
            'Your coordinator will contact you about the child certificate.',
          ),
        }[state];
        steps.push({
          title: t('Børneattest', 'Child certificate'),
          met: requirement.met,
          next,
          who: coordinator,
        });
        break;
      }
      case 'course': {
        const { hoursAttended, hoursRequired, missingTopics, prior } = requirement.detail;
        if (prior) {
          const on = formatLongDay(prior.completedOn, lang);
          steps.push({
            title: t('Forberedende kursus', 'Preparatory course'),
            met: true,
            next: t(
              `Kurset gennemført før Klar den ${on}.`,
              `Course completed before Klar on ${on}.`,
            ),
            who: you,
          });
          break;
        }
        const topics = missingTopics.map((code) => topicTitles.get(code) ?? code).join(', ');
        const next = requirement.met
          ? t(
              'Du har gennemført det forberedende kursus.',
              'You have completed the preparatory course.',
            )
          : t(
              `${hoursAttended} af ${hoursRequired} timer.` +
                (topics ? ` Temaer du mangler: ${topics}.` : '') +
                ' Tilmeld dig et kursushold nedenfor; underviseren registrerer dit fremmøde.',
              `${hoursAttended} of ${hoursRequired} hours.` +
                (topics ? ` Topics still to take: ${topics}.` : '') +
                ' Book a course below; the course leader records your attendance.',
            );
        steps.push({
          title: t(
            `Forberedende kursus (${hoursAttended} af ${hoursRequired} timer)`,
            `Preparatory course (${hoursAttended} of ${hoursRequired} hours)`,
          ),
          met: requirement.met,
          next,
          who: you,
        });
        break;
      }
    }
  }
  steps.push({
    title: t('Klar til match', 'Ready to be matched'),
    met: readiness.matchable,
    next: readiness.matchable
      ? t(
          'Din koordinator finder en familie, der passer til dig.',
          'Your coordinator finds a family that suits you.',
        )
      : t(
          'Når alle trin er klaret, er du klar til at blive matchet med en familie.',
          'When every step is done, you are ready to be matched with a family.',
        ),
    who: coordinator,
  });
  return steps;
}
