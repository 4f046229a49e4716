import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { VIEWS_DIR } from '../src/common/paths';
import { EmailTemplates } from '../src/notifications/email-templates';
import type { Locale } from '../src/volunteers/volunteer.entity';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions, portalTokenIn } from './factories';
import { forgetResends, from, LIMITS_ENV, settle } from './links';
import { dataFor, markdownIn, shapeOf } from './mail-markup';
import { csrfIn } from './pages';
import { formatDateTime } from '../src/common/dates';
import { staffRequests } from './staff-requests';

type Agent = ReturnType<typeof request.agent>;

/** Every template in views/emails, in both languages. */
const TEMPLATES = readdirSync(join(VIEWS_DIR, 'emails'))
  .map((file) => file.match(/^(.+)\.(da|en)\.hbs$/))
  .filter((m): m is RegExpMatchArray => m !== null)
  .map(([, name, locale]) => ({ name, locale: locale as Locale }));

/** Mails only staff receive: the volunteer they name is someone else than the reader. */
const ABOUT_SOMEONE_ELSE = new Set(['new-application']);

const READER = 'Mette Søndergaard Kjær';

/** Markdown a plain-text part must not show: emphasis, links, headings, code marks. */
function markdownMarks(text: string): string[] {
  // Addresses aside: a personal link's token may hold `_`.
  const words = text.replace(/https?:\/\/\S+/g, ' ');
  return [
    ...markdownIn(text, []),
    ...[...words.matchAll(/^#{1,6} |\b_[^_\s][^_\n]*_\b|`|\]\(/gm)].map((m) => m[0]),
  ];
}

/** The reader's name followed by a verb: written about them, not to them. */
const THIRD_PERSON = new RegExp(
  `(${READER}|${READER.split(' ')[0]})\\s+(har|er|is|has|was|var)\\b`,
  'i',
);

describe('the volunteer side: personal page, link recovery and emails', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  let address = 0;
  const { staff, book, participants } = staffRequests(() => ({ t, token: coordinator.token }));

  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS_ENV });
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  /** A browser-like client reading English pages. */
  const english = async (): Promise<Agent> => {
    const agent = request.agent(t.http);
    await agent.get('/lang?lang=en&next=/').expect(303);
    return agent;
  };

  describe('cancelling with a confirmation', () => {
    it('should ask on a page of its own before cancelling a seat, then give the seat to the next in line', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const [person, next] = [
        await factory.apply({ branchCode }),
        await factory.apply({ branchCode }),
      ];
      await book(course.id, person.id).expect(201);
      await book(course.id, next.id).expect(201);
      const agent = request.agent(t.http);
      const confirm = `/v/${person.portalToken}/bookings/${course.id}/cancel`;

      const page = await agent.get(`/v/${person.portalToken}`).expect(200);
      // The page links to the question; it holds no form that cancels at once.
      expect(page.text).toContain(`href="${confirm}"`);
      expect(page.text).not.toContain(`action="${confirm}"`);

      const asked = await agent.get(confirm).expect(200);
      expect(asked.text).toContain('Vil du afmelde dig kurset Forberedende kursus?');
      expect(asked.text).toContain('Din plads går til den næste på ventelisten');
      expect(asked.text).toContain('Ja, afmeld');
      expect(asked.text).toContain(`href="/v/${person.portalToken}#courses">Nej, behold pladsen`);
      expect(asked.text).toContain(`action="${confirm}"`);
      // Only looking at the question changes nothing.
      expect((await participants(course.id)).map((p) => p.status)).toEqual([
        'booked',
        'waitlisted',
      ]);

      await agent
        .post(confirm)
        .type('form')
        .send({ _csrf: csrfIn(asked.text) })
        .expect(303)
        .expect('location', `/v/${person.portalToken}#courses`);
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: next.id, status: 'booked' }),
      ]);
      const after = await agent.get(`/v/${person.portalToken}`).expect(200);
      expect(after.text).toContain('Du er afmeldt kurset.');
    });

    it('should ask before leaving the waiting list, in English on the switch', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const [taker, waiting] = [
        await factory.apply({ branchCode }),
        await factory.apply({ branchCode }),
      ];
      await book(course.id, taker.id).expect(201);
      await book(course.id, waiting.id).expect(201);
      const confirm = `/v/${waiting.portalToken}/bookings/${course.id}/cancel`;

      const da = await request(t.http).get(`/v/${waiting.portalToken}`).expect(200);
      expect(da.text).toContain('Forlad ventelisten');
      const daAsked = await request(t.http).get(confirm).expect(200);
      expect(daAsked.text).toContain('Vil du forlade ventelisten til kurset Forberedende kursus?');
      expect(daAsked.text).toContain('Ja, forlad ventelisten');
      expect(daAsked.text).toContain('Nej, bliv på ventelisten');

      const agent = await english();
      const asked = await agent.get(confirm).expect(200);
      expect(asked.text).toContain('Do you want to leave the waiting list for the course');
      expect(asked.text).toContain('Yes, leave the waiting list');
      await agent
        .post(confirm)
        .type('form')
        .send({ _csrf: csrfIn(asked.text) })
        .expect(303);
      expect((await participants(course.id)).map((p) => p.volunteerId)).toEqual([taker.id]);
    });

    it('should not ask about a seat on a course under way, nor about a course one holds no place on', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-1),
      });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      await request(t.http)
        .get(`/v/${person.portalToken}/bookings/${course.id}/cancel`)
        .expect(404);
      const other = await createCourse(t, coordinator.token, { branchCode });
      await request(t.http).get(`/v/${person.portalToken}/bookings/${other.id}/cancel`).expect(404);
      await request(t.http).get(`/v/not-a-live-link/bookings/${other.id}/cancel`).expect(404);
    });
  });

  describe('courses that have begun or ended', () => {
    const attended = async (sessionIds: string[], volunteerId: string) => {
      for (const sessionId of sessionIds) {
        await staff(request(t.http).put(`/api/v1/sessions/${sessionId}/attendance`))
          .send({ records: [{ volunteerId, present: true }] })
          .expect(200);
      }
    };

    it('should show an ended course with the hours attended, "Gennemført" only once the course counts, and no way to cancel', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-20),
      });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      await attended(
        course.sessions.slice(0, 3).map((s) => s.id),
        person.id,
      );

      // 15 of the 20 hours: the course has ended, but it is not completed.
      const short = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      expect(short.text).toContain('kurset er slut');
      expect(short.text).toContain('Du deltog i 15 timer på kurset.');
      expect(short.text).not.toContain('Gennemført');
      expect(short.text).not.toContain('Afmeld');

      await attended(
        course.sessions.slice(3).map((s) => s.id),
        person.id,
      );
      const page = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      expect(page.text).toContain('Gennemført');
      expect(page.text).toContain('Du deltog i 20 timer på kurset.');
      expect(page.text).not.toContain(`/bookings/${course.id}/cancel`);
      expect(page.text).not.toContain('Afmeld');

      const en = await (await english()).get(`/v/${person.portalToken}`).expect(200);
      expect(en.text).toContain('Completed');
      expect(en.text).toContain('You attended 20 hours of the course.');
    });

    it('should list every session date of a course the volunteer can book', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Sessionsliste',
        sessions: fullCourseSessions(12),
      });
      const person = await factory.apply({ branchCode });
      const page = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      for (const session of course.sessions) {
        expect(page.text).toContain(formatDateTime(new Date(session.startsAt), 'da'));
      }
    });

    it("should write the certificate's last valid day out, never as an ISO date", async () => {
      const person = await factory.apply({ branchCode });
      await staff(request(t.http).post(`/api/v1/volunteers/${person.id}/attestations`))
        .send({ receivedOn: new Date().toISOString().slice(0, 10), result: 'clean' })
        .expect(201);
      const page = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      expect(page.text).toMatch(/gyldig til \d{1,2}\. [a-zæøå]+ \d{4}/);
      expect(page.text).not.toMatch(/gyldig til \d{4}-\d\d-\d\d/);
    });

    it('should show the hours so far on a course under way, without a cancel button', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-1),
      });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      await attended([course.sessions[0].id], person.id);

      const page = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      expect(page.text).toContain('Du har indtil nu deltaget i 5 timer på kurset.');
      expect(page.text).not.toContain('Gennemført');
      expect(page.text).not.toContain(`/bookings/${course.id}/cancel`);
      expect(page.text).toContain('Kurset er begyndt');
    });
  });

  describe('/v without a working link', () => {
    it('should explain the personal link and offer a new one on /v, in both languages', async () => {
      const da = await request(t.http).get('/v').expect(200);
      expect(da.text).toContain('Hvad er det personlige link?');
      expect(da.text).toContain('Da du søgte om at blive familieven, sendte vi dig en e-mail');
      expect(da.text).toContain('Linket er personligt');
      expect(da.text).toContain('Linket kan udløbe');
      expect(da.text).toMatch(/<form method="post" action="\/v"/);
      expect(da.text).toContain('Send mig mit link igen');

      const en = await (await english()).get('/v').expect(200);
      expect(en.text).toContain('What is the personal link?');
      expect(en.text).toContain('The link is personal');
      expect(en.text).toContain('The link can expire');
      expect(en.text).toContain('Send me my link again');
    });

    it('should say that a bad or expired link does not work, and offer a new one, in both languages', async () => {
      const person = await factory.apply({ branchCode });
      await t.db.query(
        `UPDATE portal_token SET last_used_at = now() - interval '400 days'
          WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
        [person.portalToken],
      );
      for (const path of ['/v/not-a-live-link', `/v/${person.portalToken}`]) {
        const da = await request(t.http).get(path).expect(404);
        expect(da.text).toContain('Linket virker ikke');
        expect(da.text).toContain('Hvad er det personlige link?');
        expect(da.text).toMatch(/<form method="post" action="\/v"/);
      }
      const en = await (await english()).get('/v/not-a-live-link').expect(404);
      expect(en.text).toContain('The link does not work');
      expect(en.text).toContain('Send me my link again');
    });

    it('should send a new link from the page to a known address and answer the same for an unknown one', async () => {
      const person = await factory.apply({ branchCode });
      const agent = request.agent(t.http);
      const ask = async (email: string) => {
        const page = await agent.get('/v').expect(200);
        await forgetResends(t);
        await from(agent.post('/v'), `198.51.100.${(address += 1)}`)
          .type('form')
          .send({ _csrf: csrfIn(page.text), email })
          .expect(303)
          .expect('location', '/v');
        const answer = (await agent.get('/v').expect(200)).text;
        await settle(t);
        return answer.match(/<p class="flash" role="status">([^<]+)<\/p>/)?.[1];
      };

      const seen = t.mail.messages.length;
      const known = await ask(person.email);
      expect(known).toContain('Hvis adressen er kendt, har vi sendt et nyt link');
      const mail = await t.mail.waitFor(person.email, (m) => t.mail.messages.indexOf(m) >= seen);
      expect(mail.subject).toBe('Dit link til din personlige side');
      expect(markdownMarks(mail.text ?? '')).toEqual([]);
      await request(t.http)
        .get(`/v/${portalTokenIn(mail.text ?? '')}`)
        .expect(200);

      const before = t.mail.messages.length;
      expect(await ask(`nobody.${Date.now()}@example.org`)).toBe(known);
      expect(t.mail.messages.slice(before)).toEqual([]);
    });

    it('should take a browser that opened a live link from /v (and a dead link) straight to the personal page', async () => {
      const person = await factory.apply({ branchCode });
      const agent = request.agent(t.http);
      const opened = await agent.get(`/v/${person.portalToken}`).expect(200);
      const cookie = String(opened.headers['set-cookie']);
      expect(cookie).toMatch(/klar\.portal=[^;]+; Max-Age=\d+; Path=\/v; Expires=[^;]+; HttpOnly/);

      await agent.get('/v').expect(303).expect('location', `/v/${person.portalToken}`);
      await agent
        .get('/v/an-old-link-from-a-mail')
        .expect(303)
        .expect('location', `/v/${person.portalToken}`);
      // Another browser has nothing to go on.
      await request(t.http).get('/v').expect(200);

      // Once the remembered link has expired, /v explains again.
      await t.db.query(
        `UPDATE portal_token SET last_used_at = now() - interval '400 days'
          WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
        [person.portalToken],
      );
      expect((await agent.get('/v').expect(200)).text).toContain('Send mig mit link igen');
    });
  });

  describe('calendars', () => {
    it("should point calendar events to /v, which helps, and carry no personal link or the feed's token", async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      const me = await request(t.http)
        .get('/api/v1/me')
        .auth(person.portalToken, { type: 'bearer' })
        .expect(200);
      const feedPath = me.body.calendarUrl as string;
      const ics = (await request(t.http).get(feedPath).expect(200)).text;
      await settle(t);
      const attachment = (
        await t.mail.waitFor(person.email, (m) => (m.subject ?? '').startsWith('Du har plads på'))
      ).attachments[0].content.toString();

      for (const calendar of [ics, attachment]) {
        const urls = [...calendar.matchAll(/^URL[^:]*:(.+)$/gm)].map((m) => m[1].trim());
        expect(urls.length).toBeGreaterThan(0);
        expect(new Set(urls)).toEqual(new Set(['http://klar.test/v']));
        // The description names the page too (lines unfolded), for apps that hide URL.
        expect(calendar.replace(/\r\n[ \t]/g, '')).toContain(
          'Din personlige side / Your personal page: http://klar.test/v',
        );
        expect(calendar).not.toContain(person.portalToken);
        expect(calendar).not.toContain(feedPath.replace(/^\/calendar\/|\.ics$/g, ''));
        expect(calendar).not.toMatch(/klar\.test\/v\/[A-Za-z0-9_-]/);
      }
      const landing = await request(t.http).get('/v').expect(200);
      expect(landing.text).toContain('Send mig mit link igen');
    });
  });

  describe('emails', () => {
    describe.each(TEMPLATES)('$name ($locale)', ({ name, locale }) => {
      const sut = new EmailTemplates();
      const shape = shapeOf(
        readFileSync(join(VIEWS_DIR, 'emails', `${name}.${locale}.hbs`), 'utf8'),
      );
      // The reader's name wherever a template names a person, except the other person
      // in a staff mail; everything else a plain word.
      const values = (field: string) =>
        field === 'volunteerName' && ABOUT_SOMEONE_ELSE.has(name)
          ? 'Bo Hansen'
          : /^(first|recipient|coordinator|volunteer)?name$/i.test(field)
            ? READER
            : `Værdi-${field}`;

      it('should read as plain text, without Markdown marks', () => {
        for (const flag of [true, false]) {
          const mail = sut.render(name, locale, dataFor(shape, values, flag));
          expect(markdownMarks(mail.text)).toEqual([]);
          expect(mail.text).not.toMatch(/\(http/);
        }
      });

      it('should write to the reader, never about them by name', () => {
        // Flags true: the volunteer's own version where a mail has one (forVolunteer).
        const mail = sut.render(name, locale, dataFor(shape, values, true));
        expect(mail.subject).not.toMatch(THIRD_PERSON);
        expect(mail.text).not.toMatch(THIRD_PERSON);
      });
    });

    it('should tell the volunteer "Du er nu klar" in the second person, and the coordinator by name', () => {
      const sut = new EmailTemplates();
      const toVolunteer = sut.render('matchable', 'da', {
        recipientName: 'Mette',
        volunteerName: READER,
        forVolunteer: true,
      });
      expect(toVolunteer.subject).toBe('Du er klar til at blive matchet med en familie');
      expect(toVolunteer.text).toContain('Du er nu klar');
      expect(toVolunteer.text).not.toContain(READER);
      const toCoordinator = sut.render('matchable', 'da', {
        recipientName: 'Karen',
        volunteerName: READER,
        forVolunteer: false,
        volunteerUrl: 'http://klar.test/staff/volunteers/1',
      });
      expect(toCoordinator.subject).toBe(`${READER} er klar til match`);
      expect(toCoordinator.text).toContain(
        `Se ${READER} i Klar: http://klar.test/staff/volunteers/1`,
      );
    });
  });
});
