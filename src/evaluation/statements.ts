import type { Bilingual } from '../common/field-messages';

/**
 * The fixed statements of the course evaluation, each scored 1 (disagree) to 5 (agree).
 * Keys are stored with the answers: change a text freely, never reuse a key for a new
 * statement.
 */
export const EVALUATION_STATEMENTS: readonly { key: string; text: Bilingual }[] = [
  {
    key: 'readyForVisits',
    text: ['Jeg føler mig klædt på til at besøge en familie', 'I feel ready to visit a family'],
  },
  {
    key: 'knowsBoundaries',
    text: [
      'Jeg ved, hvor grænserne for min rolle som frivillig går',
      'I know where the boundaries of my role as a volunteer are',
    ],
  },
  {
    key: 'knowsChildSafety',
    text: [
      'Jeg ved, hvad jeg skal gøre, hvis jeg er bekymret for et barn',
      'I know what to do if I am worried about a child',
    ],
  },
  {
    key: 'goodTeaching',
    text: ['Undervisningen var god', 'The teaching was good'],
  },
] as const;

export const STATEMENT_KEYS = EVALUATION_STATEMENTS.map((s) => s.key);

/** Averages are shown from this many responses, so no single answer can be read off. */
export const MIN_RESPONSES_SHOWN = 3;
