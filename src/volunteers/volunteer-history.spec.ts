import { actionName, describeDetails, readableDetail } from './volunteer-history';

describe('volunteer history wording', () => {
  it('should name known actions in Danish and English and show an unknown one as its code', () => {
    expect(actionName('volunteer.updated')).toEqual({
      da: 'Oplysninger rettet',
      en: 'Details corrected',
    });
    expect(actionName('something.new')).toEqual({ da: 'something.new', en: 'something.new' });
  });

  it('should leave ids out of the API detail', () => {
    expect(describeDetails({ courseId: 'c1', position: 2 })).toBe('position: 2');
    expect(describeDetails({ homeVisitId: 'v1' })).toBeNull();
  });

  it.each([
    [{ changed: 'email,postcode,availability' }, 'da', 'Ændret: e-mail, postnummer, tid'],
    [{ changed: 'firstName' }, 'en', 'Changed: first name'],
    [{ noteId: 'n1', topic: 'attestation' }, 'da', 'Vedrører: børneattest'],
    [{ sessionId: 's1', present: false }, 'da', 'Ikke mødt'],
    [{ sessionId: 's1', present: true }, 'en', 'Present'],
    [{ noteId: 'n1', topic: null }, 'da', null],
    [
      { attestationId: 'a1', receivedOn: '2026-10-26', result: 'clean' },
      'da',
      'modtaget 26. oktober 2026, ingen anmærkninger',
    ],
    [{ courseId: 'c1', position: 2 }, 'en', 'number 2 on the waiting list'],
    [{ homeVisitId: 'v1', afterTheFact: false }, 'da', null],
    [
      { key: 'confidentiality', metOn: '2026-11-20' },
      'da',
      'krav: confidentiality, opfyldt 20. november 2026',
    ],
    [
      { key: 'confidentiality', metOn: '2026-11-20' },
      'en',
      'requirement: confidentiality, met on 20 November 2026',
    ],
  ] as const)('should word %j in %s as %s', (details, lang, expected) => {
    expect(readableDetail(details, lang)).toBe(expected);
  });

  it('should write a closing and a reactivation out in words, without codes', () => {
    expect(
      readableDetail({ reason: 'Flytter', note: 'Til Aalborg', bookingsCancelled: 2 }, 'da'),
    ).toBe('begrundelse: Flytter, note: Til Aalborg, 2 tilmeldinger annulleret');
    expect(readableDetail({ reason: 'Flytter', bookingsCancelled: 0 }, 'en')).toBe(
      'reason: Flytter',
    );
    expect(readableDetail({ stage: 'visit_scheduled' }, 'da')).toBe('fase: besøg aftalt');
  });
});
