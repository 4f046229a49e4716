import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addressesIn,
  dataFor,
  INJECTIONS,
  markdownIn,
  markupOf,
  shapeOf,
  targetsOf,
} from '../../test/mail-markup';
import { VIEWS_DIR } from '../common/paths';
import type { Locale } from '../volunteers/volunteer.entity';
import { EmailTemplates } from './email-templates';

/** Every template in views/emails, including ones added after this test was written. */
const TEMPLATES = readdirSync(join(VIEWS_DIR, 'emails'))
  .map((file) => file.match(/^(.+)\.(da|en)\.hbs$/))
  .filter((m): m is RegExpMatchArray => m !== null)
  .map(([, name, locale]) => ({ name, locale: locale as Locale }));

describe(EmailTemplates.name, () => {
  const sut = new EmailTemplates();

  it('should find the templates to check', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(26);
  });

  describe.each(TEMPLATES)('$name ($locale)', ({ name, locale }) => {
    const shape = shapeOf(readFileSync(join(VIEWS_DIR, 'emails', `${name}.${locale}.hbs`), 'utf8'));

    it.each(INJECTIONS)('should keep %s as text in every value', (value) => {
      for (const flag of [true, false]) {
        const plain = sut.render(name, locale, dataFor(shape, 'Maja', flag));
        const mail = sut.render(name, locale, dataFor(shape, value, flag));

        expect(markupOf(mail.html)).toEqual(markupOf(plain.html));
        expect(targetsOf(mail.html)).toEqual(targetsOf(plain.html));
        expect(mail.html).not.toContain('<img');
        expect(markdownIn(mail.text, [value])).toEqual([]);
        expect(
          addressesIn(mail.text, [value]).every((a) => a.startsWith('http://klar.test/')),
        ).toBe(true);
        // Shown as typed wherever the template shows a value at all.
        expect(mail.text.includes(value)).toBe(plain.text.includes('Maja'));
      }
    });
  });

  it('should link only to https, http, mailto and webcal addresses the template writes', () => {
    const render = (portalUrl: string) =>
      sut.render('application-received', 'da', {
        firstName: 'Maja',
        branchName: 'Nord',
        portalUrl,
      });

    for (const url of [
      'https://klar.example/v/a',
      'http://klar.test/v/a',
      'webcal://klar.test/c.ics',
    ]) {
      expect(targetsOf(render(url).html)).toEqual([url]);
    }
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '/v/relative', 'vbscript:x']) {
      const mail = render(url);
      expect(targetsOf(mail.html)).toEqual([]);
      expect(mail.html).not.toContain('<a');
    }
  });

  it('should write the text part as a letter, without Markdown marks', () => {
    const mail = sut.render('booking-confirmed', 'da', {
      firstName: 'Maja',
      courseTitle: 'Forårskursus',
      sessions: [
        { when: '4. mar. 2027, 17.00', location: 'Frivillighuset' },
        { when: '11. mar. 2027, 17.00', location: 'Kulturhuset' },
      ],
      portalUrl: 'http://klar.test/v/abc',
    });

    expect(mail.text).toBe(
      [
        'Kære Maja',
        '',
        'Du har plads på Forårskursus. Kursusgangene:',
        '',
        '- 4. mar. 2027, 17.00, Frivillighuset',
        '- 11. mar. 2027, 17.00, Kulturhuset',
        '',
        'Kursusgangene er vedhæftet som kalenderfil. Du kan også abonnere på din kalender fra din personlige side: http://klar.test/v/abc',
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<li>4. mar. 2027, 17.00, Frivillighuset</li>');
    expect(mail.html).not.toContain('<ol');
  });

  it('should show words and address of a link whose words are not the address', () => {
    const mail = sut.render('new-application', 'da', {
      coordinatorName: 'Karen',
      volunteerName: 'Maja Sørensen',
      postcode: '8000',
      branchName: 'Nord',
      volunteerUrl: 'http://klar.test/staff/volunteers/1',
    });

    expect(mail.text).toContain('Se ansøgningen i Klar: http://klar.test/staff/volunteers/1');
    expect(mail.html).toContain(
      '<a href="http://klar.test/staff/volunteers/1">Se ansøgningen i Klar</a>',
    );
  });

  it('should put a stored value with line breaks on one line in the subject and both parts', () => {
    const name = 'Maja\r\n\r\nKlik her: https://evil.example\u202e';
    const mail = sut.render('application-received', 'da', {
      firstName: name,
      branchName: 'Nord',
      portalUrl: 'http://klar.test/v/abc',
    });

    expect(mail.subject).toBe(
      'Tak for din ansøgning som familieven, Maja Klik her: https://evil.example',
    );
    expect(mail.text).toContain('Kære Maja Klik her: https://evil.example\n');
    expect(mail.html).toContain('Kære Maja Klik her: https://evil.example<');
  });
});
