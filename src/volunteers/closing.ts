import { InvalidInputError } from '../common/errors';

/**
 * The short lists of reasons the confirmation pages offer. The chosen one is stored as
 * its Danish text, like a reason typed through the API, so the record shows either alike.
 */
export interface ClosingReason {
  code: string;
  da: string;
  en: string;
}

export const WITHDRAW_REASONS: ClosingReason[] = [
  { code: 'no_time', da: 'Har ikke tid længere', en: 'No longer has the time' },
  { code: 'moving', da: 'Flytter', en: 'Moving away' },
  { code: 'personal', da: 'Personlige forhold', en: 'Personal circumstances' },
  { code: 'other_work', da: 'Fandt andet frivilligt arbejde', en: 'Found other volunteer work' },
  { code: 'other', da: 'Andet', en: 'Other' },
];

export const DECLINE_REASONS: ClosingReason[] = [
  { code: 'not_suited', da: 'Ikke egnet til rollen', en: 'Not suited to the role' },
  {
    code: 'boundaries',
    da: 'Forstår ikke rammer og grænser',
    en: 'Does not grasp the framework and boundaries',
  },
  { code: 'agenda', da: 'Missionerende eller belærende', en: 'Missionary or educating' },
  { code: 'other', da: 'Andet', en: 'Other' },
];

/**
 * The stored text of the reason chosen on a confirmation page. The page asks for one of
 * its listed reasons (the issue: withdraw and decline ask for a reason), so none chosen,
 * or a code the list does not have, is refused on the field; the API takes free text.
 */
export function chosenReason(list: ClosingReason[], code: string | undefined): string {
  const reason = list.find((r) => r.code === code);
  if (!reason) {
    throw new InvalidInputError([
      code === undefined
        ? { field: 'reason', code: 'required', message: 'Vælg en begrundelse. / Choose a reason.' }
        : {
            field: 'reason',
            code: 'notAnOption',
            message: 'Vælg en begrundelse fra listen. / Choose a reason from the list.',
          },
    ]);
  }
  return reason.da;
}
