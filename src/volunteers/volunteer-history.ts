import type { AuditDetails } from '../audit/audit-event.entity';
import { formatDateTime, formatLongDay } from '../common/dates';

/** The audit actions a volunteer's history can hold, as a coordinator reads them. */
const ACTION_NAMES: Record<string, { da: string; en: string }> = {
  'application.received': { da: 'Ansøgning modtaget', en: 'Application received' },
  'volunteer.updated': { da: 'Oplysninger rettet', en: 'Details corrected' },
  'volunteer.imported': { da: 'Importeret fra regneark', en: 'Imported from a spreadsheet' },
  'volunteer.import_updated': {
    da: 'Opdateret fra regneark',
    en: 'Updated from a spreadsheet',
  },
  'volunteer.note_added': { da: 'Note skrevet', en: 'Note added' },
  'volunteer.withdrawn': { da: 'Ansøgning trukket tilbage', en: 'Application withdrawn' },
  'volunteer.reactivated': { da: 'Ansøgning genåbnet', en: 'Application reactivated' },
  'home_visit.scheduled': { da: 'Hjemmebesøg aftalt', en: 'Home visit scheduled' },
  'home_visit.rescheduled': { da: 'Hjemmebesøg flyttet', en: 'Home visit rescheduled' },
  'home_visit.cancelled': { da: 'Hjemmebesøg aflyst', en: 'Home visit cancelled' },
  'home_visit.approved': { da: 'Hjemmebesøg godkendt', en: 'Home visit approved' },
  'home_visit.declined': { da: 'Hjemmebesøg afslået', en: 'Home visit declined' },
  'home_visit.follow_up': {
    da: 'Hjemmebesøg: opfølgning nødvendig',
    en: 'Home visit: follow-up needed',
  },
  'attestation.recorded': { da: 'Børneattest registreret', en: 'Child certificate recorded' },
  'requirement.recorded': { da: 'Ekstra krav registreret', en: 'Extra requirement recorded' },
  'requirement.unrecorded': {
    da: 'Registrering af ekstra krav fjernet',
    en: 'Extra requirement record removed',
  },
  'material.confirmed': { da: 'Læsning bekræftet', en: 'Reading confirmed' },
  'attestation.viewed': { da: 'Børneattestens resultat læst', en: 'Child certificate result read' },
  'booking.booked': { da: 'Tilmeldt kursus', en: 'Booked on a course' },
  'booking.waitlisted': { da: 'Sat på venteliste', en: 'Put on a waiting list' },
  'booking.cancelled': { da: 'Kursustilmelding annulleret', en: 'Course booking cancelled' },
  'attendance.recorded': { da: 'Fremmøde registreret', en: 'Attendance recorded' },
  'attendance.cleared': { da: 'Fremmøde slettet', en: 'Attendance cleared' },
};

/** An action's name in Danish and English; an action without one shows its code. */
export function actionName(action: string): { da: string; en: string } {
  return ACTION_NAMES[action] ?? { da: action, en: action };
}

/**
 * The audit details worth reading, as one line: ids mean nothing to a person, and the
 * details never hold a changed field's value (only which fields changed).
 */
export function describeDetails(details: AuditDetails): string | null {
  const shown = Object.entries(details).filter(
    ([key, value]) => !/Id$/.test(key) && value !== null && value !== '',
  );
  return shown.length === 0 ? null : shown.map(([key, value]) => `${key}: ${value}`).join(', ');
}

const FIELD_NAMES: Record<string, { da: string; en: string }> = {
  firstName: { da: 'fornavn', en: 'first name' },
  lastName: { da: 'efternavn', en: 'last name' },
  email: { da: 'e-mail', en: 'email' },
  phone: { da: 'telefon', en: 'phone' },
  postcode: { da: 'postnummer', en: 'postcode' },
  availability: { da: 'tid', en: 'availability' },
  languages: { da: 'sprog', en: 'languages' },
  homeVisit: { da: 'hjemmebesøg', en: 'home visit' },
  attestation: { da: 'børneattest', en: 'child certificate' },
  priorCourse: { da: 'kursus før Klar', en: 'course before Klar' },
  note: { da: 'note', en: 'note' },
};

type Names = Record<string, { da: string; en: string }>;

/** A code in words, or the code itself where it has none. */
const inWords = (names: Names, code: string, lang: 'da' | 'en') => names[code]?.[lang] ?? code;

const STAGE_NAMES: Record<string, { da: string; en: string }> = {
  applied: { da: 'ansøgt', en: 'applied' },
  visit_scheduled: { da: 'besøg aftalt', en: 'visit scheduled' },
  approved: { da: 'godkendt', en: 'approved' },
  matchable: { da: 'klar til match', en: 'matchable' },
  declined: { da: 'afslået', en: 'declined' },
  withdrawn: { da: 'trukket tilbage', en: 'withdrawn' },
};

const TOPIC_NAMES: Record<string, { da: string; en: string }> = {
  home_visit: { da: 'hjemmebesøg', en: 'home visit' },
  attestation: { da: 'børneattest', en: 'child certificate' },
  course: { da: 'kursus', en: 'course' },
};

/** The details as the record page shows them: the known ones in words, the rest as the API gives them. */
export function readableDetail(details: AuditDetails, lang: 'da' | 'en'): string | null {
  const words = (names: Names, code: string) => inWords(names, code, lang);
  if (typeof details.changed === 'string') {
    const fields = details.changed.split(',').map((field) => words(FIELD_NAMES, field));
    return `${lang === 'da' ? 'Ændret' : 'Changed'}: ${fields.join(', ')}`;
  }
  if (typeof details.topic === 'string') {
    return `${lang === 'da' ? 'Vedrører' : 'Concerns'}: ${words(TOPIC_NAMES, details.topic)}`;
  }
  if (typeof details.present === 'boolean') {
    return details.present
      ? lang === 'da'
        ? 'Mødt'
        : 'Present'
      : lang === 'da'
        ? 'Ikke mødt'
        : 'Absent';
  }
  const parts = Object.entries(details)
    .filter(([key, value]) => !/Id$/.test(key) && value !== null && value !== '')
    .map(([key, value]) => detailInWords(key, value, lang))
    .filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join(', ');
}

/**
 * One audit detail as the page says it: days written out, times in Copenhagen, codes
 * as words. A detail not known here shows as the API gives it (a new audit detail
 * needs its words here).
 */
function detailInWords(key: string, value: unknown, lang: 'da' | 'en'): string {
  const t = (da: string, en: string) => (lang === 'da' ? da : en);
  const text = typeof value === 'string' ? value : '';
  switch (key) {
    case 'receivedOn':
      return `${t('modtaget', 'received')} ${formatLongDay(text, lang)}`;
    case 'metOn':
      return `${t('opfyldt', 'met on')} ${formatLongDay(text, lang)}`;
    case 'key':
      return `${t('krav', 'requirement')}: ${text}`;
    case 'requestedOn':
      return `${t('anmodet', 'requested')} ${formatLongDay(text, lang)}`;
    case 'result':
      return value === 'clean'
        ? t('ingen anmærkninger', 'clean')
        : t('med anmærkninger', 'with entries');
    case 'scheduledAt':
      return `${t('til', 'for')} ${formatDateTime(new Date(text), lang)}`;
    case 'heldAt':
      return `${t('holdt', 'held')} ${formatDateTime(new Date(text), lang)}`;
    case 'afterTheFact':
      return value === true ? t('registreret bagefter', 'recorded after the fact') : '';
    case 'position':
      return `${t('nummer', 'number')} ${String(value)} ${t('på ventelisten', 'on the waiting list')}`;
    case 'title':
      return text;
    case 'from':
      return `${t('fra', 'from')} ${formatDateTime(new Date(text), lang)}`;
    case 'reason':
      return `${t('begrundelse', 'reason')}: ${text}`;
    case 'note':
      return `${t('note', 'note')}: ${text}`;
    case 'bookingsCancelled':
      return value === 0
        ? ''
        : `${String(value)} ${t('tilmeldinger annulleret', 'bookings cancelled')}`;
    case 'file':
      return `${t('fra filen', 'from the file')} ${text}`;
    case 'line':
      return `${t('linje', 'line')} ${String(value)}`;
    case 'fields':
      return `${t('ændret', 'changed')}: ${text
        .split(',')
        .map((field) => inWords(FIELD_NAMES, field, lang))
        .join(', ')}`;
    case 'stage':
      return `${t('fase', 'stage')}: ${inWords(STAGE_NAMES, text, lang)}`;
    default:
      return `${key}: ${typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)}`;
  }
}
