import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { OutboxService } from '../src/notifications/outbox.service';
import { NotificationScheduler } from '../src/notifications/notification.scheduler';
import { OutboxWorker } from '../src/notifications/outbox.worker';
import { ReadinessService } from '../src/readiness/readiness.service';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  createTestDatabase,
  type TestApp,
} from './app';
import {
  applicationBody,
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
} from './factories';
import { PATH_TEMPLATES } from './mail-markup';
import { signedInAgent } from './pages';
import { freePort, outboxIdOf, SmtpCatcher } from './smtp';
import { copenhagenWallTime, instantFromToday } from './dates';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}

const outboxCount = async (t: TestApp, where: string, params: unknown[] = []) =>
  Number(
    (
      await t.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM outbox_message WHERE ${where}`,
        params,
      )
    )[0].n,
  );

describe('email', () => {
  describe('templates', () => {
    let t: TestApp;
    let factory: Factory;
    let path: Awaited<ReturnType<typeof walkThePath>>;

    /**
     * Walks a branch through everything that mails, once for all the template tests:
     * applications, a visit, a one-seat course (confirmed, waitlisted, promoted, changed,
     * cancelled, reminded), and a volunteer who becomes matchable on a certificate close
     * to expiry, is warned, then loses the mark. Returns the queued rows once all are sent.
     */
    async function walkThePath() {
      const branchCode = await factory.branch();
      const coordinator = await factory.coordinator(branchCode);
      const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });

      // Application, repeated application, and the coordinator's notice.
      const anna = await factory.apply({ branchCode, firstName: 'Anna', locale: 'en' });
      await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, email: anna.email }))
        .expect(202);
      const bo = await factory.apply({ branchCode, firstName: 'Bo' });

      // Home visit with its calendar file.
      const visitAt = instantFromToday(100);
      const visit = await staff(request(t.http).post(`/api/v1/volunteers/${anna.id}/home-visits`))
        .send({ scheduledAt: visitAt })
        .expect(201);

      // A one-seat course starting tomorrow: confirmed, waitlisted, promoted, changed, cancelled, reminded.
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 1,
        sessions: fullCourseSessions(1),
      });
      await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
        .send({ volunteerId: anna.id })
        .expect(201);
      await staff(request(t.http).post(`/api/v1/courses/${course.id}/bookings`))
        .send({ volunteerId: bo.id })
        .expect(201);
      await staff(
        request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${anna.id}`),
      ).expect(204);
      await staff(request(t.http).put(`/api/v1/sessions/${course.sessions[2].id}`))
        .send({ location: 'Kulturhuset' })
        .expect(200);
      await staff(request(t.http).post(`/api/v1/sessions/${course.sessions[3].id}/cancel`)).expect(
        200,
      );
      expect(await t.app.get(NotificationScheduler).queueSessionReminders()).toBeGreaterThanOrEqual(
        1,
      );

      // A volunteer who becomes matchable on a certificate close to expiry, then loses the mark.
      const cille = await factory.apply({ branchCode, firstName: 'Cille' });
      const cilleVisit = await staff(
        request(t.http).post(`/api/v1/volunteers/${cille.id}/home-visits`),
      )
        .send({ scheduledAt: instantFromToday(-85, 10) })
        .expect(201);
      await staff(request(t.http).post(`/api/v1/home-visits/${cilleVisit.body.id}/outcome`))
        .send({ outcome: 'approved' })
        .expect(200);
      const receivedOn = DateTime.now()
        .setZone('Europe/Copenhagen')
        .minus({ months: 23 })
        .toISODate()!;
      await staff(request(t.http).post(`/api/v1/volunteers/${cille.id}/attestations`))
        .send({ receivedOn, result: 'clean' })
        .expect(201);
      const held = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-10),
      });
      await staff(request(t.http).post(`/api/v1/courses/${held.id}/bookings`))
        .send({ volunteerId: cille.id })
        .expect(201);
      for (const session of held.sessions) {
        await staff(request(t.http).put(`/api/v1/sessions/${session.id}/attendance`))
          .send({ records: [{ volunteerId: cille.id, present: true }] })
          .expect(200);
      }
      expect(await t.app.get(NotificationScheduler).queueExpiringCertificates()).toBe(1);
      await t.db.query(
        `UPDATE attestation SET received_on = received_on - interval '2 months' WHERE volunteer_id = $1`,
        [cille.id],
      );
      expect(await t.app.get(ReadinessService).refreshLapsed()).toMatchObject({ moved: 1 });

      await until(
        async () => (await outboxCount(t, "status <> 'sent'")) === 0,
        'the outbox to empty',
      );
      const rows = await t.db.query<{ id: string; template: string; recipient: string }[]>(
        `SELECT id, template, recipient FROM outbox_message ORDER BY created_at`,
      );
      return { coordinator, anna, bo, cille, course, visit, visitAt, rows };
    }

    beforeAll(async () => {
      t = await createTestApp();
      factory = new Factory(t);
      path = await walkThePath();
    });
    afterAll(() => t.close());

    /** The one delivered mail of this template to this address. */
    const mailOf = (template: string, to: string) => {
      const row = path.rows.find((r) => r.template === template && r.recipient === to)!;
      return t.mail.messages.find((m) => outboxIdOf(m) === row.id)!;
    };

    it('should send every kind of mail on the path', () => {
      expect([...new Set(path.rows.map((r) => r.template))].sort()).toEqual(PATH_TEMPLATES);
    });

    it.each(PATH_TEMPLATES)(
      'should deliver each %s once, with a text and an HTML part and links to PUBLIC_URL',
      (template) => {
        const rows = path.rows.filter((r) => r.template === template);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const delivered = t.mail.messages.filter((m) => outboxIdOf(m) === row.id);
          expect(delivered).toHaveLength(1);
          const [mail] = delivered;
          expect(mail.text?.trim().length).toBeGreaterThan(20);
          expect(mail.html).toEqual(expect.stringContaining('<p>'));
          for (const link of [...(mail.text ?? '').matchAll(/https?:\/\/[^\s)\]]+/g)].map(
            (m) => m[0],
          )) {
            expect(link.startsWith('http://klar.test/')).toBe(true);
          }
        }
      },
    );

    it('should name the applicant to the coordinator (new-application)', () => {
      expect(mailOf('new-application', path.coordinator.email).subject).toBe(
        `Ny ansøgning: Anna Sørensen`,
      );
    });

    it('should name the volunteer to the coordinator (matchable)', () => {
      expect(mailOf('matchable', path.coordinator.email).text).toContain('Cille Sørensen');
    });

    it('should tell the volunteer why (no-longer-matchable)', () => {
      expect(mailOf('no-longer-matchable', path.cille.email).text).toContain(
        'børneattesten er udløbet',
      );
    });

    it('should be in English for the English applicant and link to the same page (already-applied)', async () => {
      const mail = mailOf('already-applied', path.anna.email);
      expect(mail.subject).toBe('Your link to your personal page');
      const repeatLink = mail.text!.match(/http:\/\/klar\.test\/v\/([\w-]+)/)![1];
      expect(
        (await request(t.http).get('/api/v1/me').auth(repeatLink, { type: 'bearer' }).expect(200))
          .body.id,
      ).toBe(path.anna.id);
    });

    it('should carry the visit as a calendar file at its local time (home-visit-scheduled)', () => {
      const visitIcs = mailOf('home-visit-scheduled', path.anna.email).attachments[0];
      expect(visitIcs.contentType).toBe('text/calendar');
      const [visitEvent] = Object.values(ical.sync.parseICS(visitIcs.content.toString())).filter(
        (c): c is VEvent => c?.type === 'VEVENT',
      );
      expect(
        DateTime.fromJSDate(visitEvent.start)
          .setZone('Europe/Copenhagen')
          .toFormat('yyyy-MM-dd HH:mm'),
      ).toBe(copenhagenWallTime(path.visitAt));
      expect(visitEvent.uid).toBe(`home-visit-${path.visit.body.id}@klar`);
    });

    it('should carry every session of the course (booking-confirmed)', () => {
      const confirmed = mailOf('booking-confirmed', path.anna.email);
      expect(confirmed.attachments[0].content.toString().split('BEGIN:VEVENT')).toHaveLength(5);
    });

    it('should carry a calendar cancellation of the session (session-cancelled)', () => {
      const cancelled = mailOf(
        'session-cancelled',
        path.bo.email,
      ).attachments[0].content.toString();
      expect(cancelled).toContain('METHOD:CANCEL');
      expect(cancelled).toContain(`UID:${path.course.sessions[3].id}@klar`);
    });

    it('should give the place on the waitlist (waitlisted)', () => {
      expect(mailOf('waitlisted', path.bo.email).text).toContain('på ventelisten som nummer 1.');
    });

    it('should never let what people type become markup (application-received)', () => {
      expect(mailOf('application-received', path.bo.email).html).not.toContain('<script');
    });

    it('should escape a name with HTML in the HTML part and keep it verbatim in the text part', async () => {
      const branchCode = await factory.branch();
      const { mail } = await factory.apply({ branchCode, firstName: '<b>Ida</b>' });
      expect(mail.html).toContain('Kære &lt;b&gt;Ida&lt;/b&gt;');
      expect(mail.html).not.toContain('<b>Ida</b>');
      expect(mail.text).toContain('Kære <b>Ida</b>');
    });

    it('should queue one message per key however often the reason recurs', async () => {
      const outbox = t.app.get(OutboxService);
      const email = {
        key: `test-dedupe-${Date.now()}`,
        to: 'x@example.org',
        template: 'session-reminder',
        locale: 'da' as const,
        data: {},
      };
      await t.db.transaction(async (em) => {
        await outbox.enqueue(em, email);
        await outbox.enqueue(em, email);
      });
      expect(await outboxCount(t, 'dedupe_key = $1', [email.key])).toBe(1);
    });
  });

  it('should deliver every message exactly once after the SMTP server was down for a while', async () => {
    const port = await freePort();
    const t = await createTestApp({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_RETRY_BASE_MS: '200' },
    });
    const server = new SmtpCatcher();
    try {
      const branchCode = await new Factory(t).branch();
      const emails = [1, 2, 3].map((i) => `down.${i}.${Date.now()}@example.org`);
      for (const email of emails) {
        await request(t.http)
          .post('/api/v1/applications')
          .send(applicationBody({ branchCode, email }))
          .expect(202);
      }
      await until(async () => (await outboxCount(t, 'attempts >= 2')) === 3, 'failed attempts');
      expect(await outboxCount(t, "status = 'sent'")).toBe(0);

      await server.start(port);
      for (const email of emails) {
        await server.waitFor(email);
      }
      await until(async () => (await outboxCount(t, "status = 'sent'")) === 3, 'all sent');
      // Every row is sent, so only a run still in flight could send a duplicate: wait for it.
      await t.app.get(OutboxWorker).drain();
      for (const email of emails) {
        expect(server.to(email)).toHaveLength(1);
      }
    } finally {
      await t.close();
      await server.stop();
    }
  });

  it('should send each message exactly once with two app instances on one database', async () => {
    const database = await createTestDatabase();
    const server = new SmtpCatcher();
    const smtpUrl = await server.start();
    const env = { SMTP_URL: smtpUrl, OUTBOX_POLL_MS: '20' };
    const first = await createTestApp({ database, env });
    const second = await createTestApp({ database, env });
    try {
      const branchCode = await new Factory(first).branch();
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          request((i % 2 === 0 ? first : second).http)
            .post('/api/v1/applications')
            .send(applicationBody({ branchCode, email: `twice.${i}.${Date.now()}@example.org` }))
            .expect(202),
        ),
      );
      // The applications are answered before they are worked on: the outbox has all 24
      // rows only once both instances' queues are through.
      await Promise.all([first, second].map((app) => app.app.get(PublicRequestQueue).drain()));
      expect(await outboxCount(first, 'true')).toBe(24);
      await until(
        async () => (await outboxCount(first, "status <> 'sent'")) === 0,
        'the outbox to empty',
      );
      // Every row is sent, so only a run still in flight could send a duplicate: wait for them.
      await Promise.all([first, second].map((app) => app.app.get(OutboxWorker).drain()));
      const ids = server.messages.map(outboxIdOf);
      expect(ids).toHaveLength(24);
      expect(new Set(ids).size).toBe(24);
    } finally {
      await second.close();
      await first.close();
      await server.stop();
      await database.dispose();
    }
  });

  it('should lose nothing when the app stops between the change and the send', async () => {
    const database = await createTestDatabase();
    try {
      const stopped = await createTestApp({ database, env: { OUTBOX_WORKER: 'false' } });
      const branchCode = await new Factory(stopped).branch();
      const email = `crash.${Date.now()}@example.org`;
      await request(stopped.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, email }))
        .expect(202);
      await stopped.app.get(PublicRequestQueue).drain();
      expect(await outboxCount(stopped, "status = 'pending' AND recipient = $1", [email])).toBe(1);
      await stopped.close();

      const restarted = await createTestApp({ database });
      try {
        const mail = await restarted.mail.waitFor(email);
        expect(mail.subject).toBe('Tak for din ansøgning som familieven, Maja');
      } finally {
        await restarted.close();
      }
    } finally {
      await database.dispose();
    }
  });

  it('should give up after the last attempt and show the failure to administrators only', async () => {
    const port = await freePort();
    const t = await createTestApp({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        OUTBOX_RETRY_BASE_MS: '20',
        OUTBOX_MAX_ATTEMPTS: '2',
      },
    });
    try {
      const factory = new Factory(t);
      const branchCode = await factory.branch();
      const coordinator = await factory.coordinator(branchCode);
      const email = `never.${Date.now()}@example.org`;
      await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, email }))
        .expect(202);
      await until(
        async () => (await outboxCount(t, "status = 'failed' AND recipient = $1", [email])) === 1,
        'failure',
      );
      const res = await request(t.http)
        .get('/api/v1/outbox')
        .query({ status: 'failed' })
        .auth(await factory.admin(), { type: 'bearer' })
        .expect(200);
      expect(res.body.items).toContainEqual(
        expect.objectContaining({
          recipient: email,
          template: 'application-received',
          status: 'failed',
          attempts: 2,
        }),
      );
      expect(
        res.body.items.find((m: { recipient: string }) => m.recipient === email).lastError,
      ).toMatch(/ECONNREFUSED/);
      await request(t.http)
        .get('/api/v1/outbox')
        .auth(coordinator.token, { type: 'bearer' })
        .expect(403);
      await request(t.http)
        .get('/api/v1/outbox')
        .query({ status: 'lost' })
        .auth(await factory.admin(), { type: 'bearer' })
        .expect(400);
      const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const page = await admin.get('/staff/outbox').expect(200);
      expect(page.text).toContain(email);
      expect(page.text).toContain('ECONNREFUSED');
      const coordinatorPages = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
      await coordinatorPages.get('/staff/outbox').expect(403);
    } finally {
      await t.close();
    }
  });
});
