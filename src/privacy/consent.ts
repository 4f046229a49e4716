import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { toIsoWithOffset } from '../common/dates';

/**
 * The consent text on the application form, in both languages. It is shown exactly as
 * written here (views/applications/new.hbs reads it), so its version is a fingerprint of
 * this text: changing a word makes a new version, and each volunteer's record keeps the
 * version they agreed to. Every version shown is kept in `consent_text`.
 */
export const CONSENT_TEXT = {
  da: 'Vi bruger dine oplysninger til at behandle din ansøgning og forberede dig som familieven: koordinatoren i din lokalafdeling kan se dem, og alle beslutninger logges. Børneattesten indhenter vi kun med dit særskilte samtykke, og vi gemmer kun resultatet, aldrig selve attesten. Trækker du din ansøgning tilbage eller får afslag, sletter vi dine oplysninger efter en fast periode.',
  en: 'We use your details to process your application and prepare you as a family friend: the coordinator of your branch can see them and every decision is logged. We obtain the child certificate only with your separate consent and keep only its result, never the certificate itself. If you withdraw or are declined, we erase your details after a fixed period.',
} as const;

/** The first 12 hex digits of the SHA-256 of the Danish and the English text. */
export function consentVersionOf(text: { da: string; en: string }): string {
  return createHash('sha256').update(`${text.da}\n${text.en}`).digest('hex').slice(0, 12);
}

export const CONSENT_VERSION = consentVersionOf(CONSENT_TEXT);

/** Volunteers who applied before the text had versions agreed to this one. */
export const FIRST_CONSENT_VERSION = 'v1';

export const CONSENT_SOURCES = ['application', 'import'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** A person's consent as the API shows it (volunteer detail, /api/v1/me, the export). */
export interface ConsentView {
  givenAt: string | null;
  textVersion: string | null;
  source: ConsentSource;
}

export const toConsentView = (v: {
  consentAt: Date | null;
  consentTextVersion: string | null;
  consentSource: ConsentSource;
}): ConsentView => ({
  givenAt: toIsoWithOffset(v.consentAt),
  textVersion: v.consentTextVersion,
  source: v.consentSource,
});

/** The OpenAPI response of a route that waits on consent (ConsentedPortalGuard). */
export const CONSENT_REQUIRED = {
  description:
    'code "consent_required": a person imported from a spreadsheet consents first (POST /api/v1/me/consent)',
};

/**
 * Whether the person has yet to consent in Klar: imported from a branch's spreadsheet,
 * they never saw the application form, so every personal page asks first.
 */
export const needsConsent = (volunteer: { consentAt: Date | null }): boolean =>
  volunteer.consentAt === null;

/**
 * Keeps the words of the current version, the first time anyone is shown them or agrees
 * to them (at start-up, and in the transaction that stores a consent, whichever is first).
 */
export async function keepCurrentConsentText(em: Pick<EntityManager, 'query'>): Promise<void> {
  await em.query(
    `INSERT INTO consent_text (version, text_da, text_en) VALUES ($1, $2, $3)
     ON CONFLICT (version) DO NOTHING`,
    [CONSENT_VERSION, CONSENT_TEXT.da, CONSENT_TEXT.en],
  );
}
