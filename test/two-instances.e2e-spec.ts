import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { OutboxWorker } from '../src/notifications/outbox.worker';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from './app';
import { applicationBody, createCourse, Factory } from './factories';
import { serverUrl } from './database';
import { outboxIdOf, SmtpCatcher } from './smtp';

const CAPACITY = 5;
const PEOPLE = 14;

/**
 * Two app instances on one database, as behind docker-compose's proxy (issue 16): the
 * booking rush and the applications go to both at once, and the database alone keeps
 * the rules: exactly the course's capacity booked, the waiting list numbered 1..n with
 * no gap or twin, every application stored once, every mail sent once.
 */
// Two instances share a server; the embedded database belongs to one process.
const onServer = serverUrl() ? describe : describe.skip;

onServer('two instances on one database', () => {
  let database: TestDatabase;
  let smtp: SmtpCatcher;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = new SmtpCatcher();
    const env = { SMTP_URL: await smtp.start(), OUTBOX_POLL_MS: '20' };
    first = await createTestApp({ database, env });
    second = await createTestApp({ database, env });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await smtp.stop();
    await database.dispose();
  });

  const instance = (i: number) => (i % 2 === 0 ? first : second);
  const drainBoth = async () => {
    await Promise.all([first, second].map((t) => t.app.get(PublicRequestQueue).drain()));
    await Promise.all([first, second].map((t) => t.app.get(OutboxWorker).drain()));
    await Promise.all([first, second].map((t) => t.app.get(OutboxWorker).drain()));
  };

  it('should book exactly the capacity and number the waiting list 1..n when both take the rush', async () => {
    const factory = new Factory(first);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const course = await createCourse(first, coordinator.token, { branchCode, capacity: CAPACITY });
    // The applications go in through both instances at once; each is stored once.
    const emails = Array.from({ length: PEOPLE }, (_, i) => `rush.${i}.${Date.now()}@example.org`);
    await Promise.all(
      emails.map((email, i) =>
        request(instance(i).http)
          .post('/api/v1/applications')
          .send(applicationBody({ branchCode, email, firstName: `Person${i}` }))
          .expect(202),
      ),
    );
    // The same address sent to both instances at the same moment is still one person.
    const twice = `twice.${Date.now()}@example.org`;
    await Promise.all(
      [first, second].map((t) =>
        request(t.http)
          .post('/api/v1/applications')
          .send(applicationBody({ branchCode, email: twice }))
          .expect(202),
      ),
    );
    await drainBoth();
    const stored = await first.db.query<{ email: string; n: number }[]>(
      `SELECT email, count(*)::int AS n FROM volunteer WHERE email = ANY($1) GROUP BY email`,
      [[...emails, twice]],
    );
    expect(stored).toHaveLength(PEOPLE + 1);
    expect(stored.every((row) => row.n === 1)).toBe(true);

    const tokens = await Promise.all(
      emails.map(async (email) => {
        const mail = await smtp.waitFor(email, (m) => /klar\.test\/v\//.test(m.text ?? ''));
        return /http:\/\/klar\.test\/v\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
      }),
    );
    const answers = await Promise.all(
      tokens.map((token, i) =>
        request(instance(i).http)
          .post('/api/v1/me/bookings')
          .auth(token, { type: 'bearer' })
          .send({ courseId: course.id })
          .expect(201),
      ),
    );
    const booked = answers.filter((a) => a.body.status === 'booked');
    const waiting = answers.filter((a) => a.body.status === 'waitlisted');
    expect(booked).toHaveLength(CAPACITY);
    expect(waiting.map((a) => a.body.position as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: PEOPLE - CAPACITY }, (_, i) => i + 1),
    );
    const [{ seats }] = await first.db.query<{ seats: number }[]>(
      `SELECT count(*)::int AS seats FROM booking WHERE course_id = $1 AND status = 'booked'`,
      [course.id],
    );
    expect(seats).toBe(CAPACITY);

    // Every mail queued once and sent once: a confirmation or a waitlist place each,
    // whichever instance took the booking and whichever worker sent it.
    await drainBoth();
    const [{ queued }] = await first.db.query<{ queued: number }[]>(
      `SELECT count(*)::int AS queued FROM outbox_message
        WHERE template IN ('booking-confirmed', 'waitlisted') AND recipient = ANY($1)`,
      [emails],
    );
    expect(queued).toBe(PEOPLE);
    const sentIds = smtp.messages.map(outboxIdOf);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    for (const email of emails) {
      expect(smtp.to(email)).toHaveLength(2); // the personal link, then the seat or the place
    }
    // The address sent to both instances: each mail queued for it arrived, and once.
    const [{ forTwice }] = await first.db.query<{ forTwice: number }[]>(
      `SELECT count(*)::int AS "forTwice" FROM outbox_message WHERE recipient = $1`,
      [twice],
    );
    expect(forTwice).toBeGreaterThanOrEqual(1);
    expect(smtp.to(twice)).toHaveLength(forTwice);
  });
});
