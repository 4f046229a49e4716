import request from 'supertest';
import { LoginLimiter } from '../src/auth/login-limiter';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  createTestDatabase,
  type TestApp,
} from './app';
import { applicationBody, createCourse, Factory, fullCourseSessions } from './factories';
import { forgetResends, from, LIMITS_ENV, mailsTo, settle } from './links';
import { csrfIn } from './pages';

const LIMIT = 3;

describe('limits', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...LIMITS_ENV, APPLY_LIMIT_PER_CLIENT: String(LIMIT) } });
    factory = new Factory(t);
    branchCode = await factory.branch();
  });
  afterAll(() => t.close());

  const apply = (address: string, overrides: Record<string, unknown> = {}) =>
    from(request(t.http).post('/api/v1/applications'), address).send(
      applicationBody({ branchCode, ...overrides }),
    );

  describe('per client address', () => {
    it('should answer 429 with Retry-After once a client passed APPLY_LIMIT_PER_CLIENT in an hour', async () => {
      for (let i = 0; i < LIMIT; i += 1) {
        await apply('198.51.100.1').expect(202);
      }
      const refused = await apply('198.51.100.1').expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      const wait = Number(refused.headers['retry-after']);
      expect(wait).toBeGreaterThan(3500);
      expect(wait).toBeLessThanOrEqual(3600);
      // Another client is not held back by this one.
      await apply('198.51.100.2').expect(202);
    });

    it('should show a Danish page on the form past the limit, English on the switch', async () => {
      const agent = request.agent(t.http);
      const post = async () => {
        const form = await from(agent.get('/ansog'), '198.51.100.3').expect(200);
        return from(agent.post('/ansog'), '198.51.100.3')
          .type('form')
          .set('accept', 'text/html')
          .send({
            ...applicationBody({ branchCode }),
            availability: 'weekend',
            languages: 'da',
            consent: 'on',
            _csrf: csrfIn(form.text),
          });
      };
      for (let i = 0; i < LIMIT; i += 1) {
        const res = await post();
        expect([res.status, res.headers.location]).toEqual([303, '/ansog/tak']);
      }
      const danish = await post();
      expect(danish.status).toBe(429);
      expect(Number(danish.headers['retry-after'])).toBeGreaterThan(0);
      expect(danish.text).toContain('for mange forespørgsler fra din adresse');
      expect(danish.text).toContain('Prøv igen om 60 minutter.');

      await agent.get('/lang?lang=en&next=/ansog').expect(303);
      const english = await post();
      expect(english.status).toBe(429);
      expect(english.text).toContain('Too many requests have come from your address');
    });

    it('should answer 429 to link requests past the limit, the same for any address', async () => {
      const ask = (email: string) =>
        from(request(t.http).post('/api/v1/portal-links'), '198.51.100.4').send({ email });
      const known = await factory.apply({ branchCode });
      for (let i = 0; i < LIMIT; i += 1) {
        await ask(i % 2 === 0 ? known.email : `nobody.${i}@example.org`).expect(202);
      }
      await ask(known.email).expect(429);
      const unknown = await ask('nobody@example.org').expect(429);
      expect(Number(unknown.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('per recipient address (silent)', () => {
    it('should mail a known address its link at most once an hour, answering the same 202', async () => {
      const person = await factory.apply({ branchCode });
      const fresh = await apply('198.51.100.10').expect(202);
      const answers = [];
      for (let i = 0; i < 5; i += 1) {
        answers.push(await apply(`198.51.100.${20 + i}`, { email: person.email }).expect(202));
      }
      for (const answer of answers) {
        expect(answer.body).toEqual(fresh.body);
      }
      const link = await from(request(t.http).post('/api/v1/portal-links'), '198.51.100.30')
        .send({ email: person.email })
        .expect(202);
      const unknown = await from(request(t.http).post('/api/v1/portal-links'), '198.51.100.31')
        .send({ email: 'nobody.at.all@example.org' })
        .expect(202);
      expect(link.body).toEqual(unknown.body);
      await settle(t);

      // The welcome mail and one re-send; the counter is shared with the link requests.
      expect(await mailsTo(t, person.email)).toEqual(['application-received', 'already-applied']);
      expect(t.mail.messages.filter((m) => recipientOf(m) === person.email)).toHaveLength(2);

      // An hour later, one more.
      await forgetResends(t);
      await from(request(t.http).post('/api/v1/portal-links'), '198.51.100.32')
        .send({ email: person.email })
        .expect(202);
      await settle(t);
      expect(await mailsTo(t, person.email)).toEqual([
        'application-received',
        'already-applied',
        'portal-link',
      ]);
    });
  });

  describe('who applied does not show', () => {
    it('should answer a bad course with the same 400 for a new and a known address, before looking at it', async () => {
      const coordinator = await factory.coordinator(branchCode);
      const otherBranch = await factory.branch();
      const otherCoordinator = await factory.coordinator(otherBranch);
      const known = await factory.apply({ branchCode });
      const open = await createCourse(t, coordinator.token, { branchCode });
      const started = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-1),
      });
      const cancelled = await createCourse(t, coordinator.token, { branchCode });
      await t.db.query('UPDATE course SET cancelled_at = now() WHERE id = $1', [cancelled.id]);
      const elsewhere = await createCourse(t, otherCoordinator.token, { branchCode: otherBranch });

      let n = 40;
      for (const courseId of [
        '00000000-0000-4000-8000-000000000000',
        started.id,
        cancelled.id,
        elsewhere.id,
      ]) {
        const asNew = await apply(`198.51.100.${(n += 1)}`, { courseId }).expect(400);
        const asKnown = await apply(`198.51.100.${(n += 1)}`, {
          courseId,
          email: known.email,
        }).expect(400);
        expect(asKnown.body).toEqual(asNew.body);
        expect(asNew.body.errors).toEqual([
          { field: 'courseId', code: 'courseNotBookable', message: expect.any(String) },
        ]);
      }
      const okNew = await apply(`198.51.100.${(n += 1)}`, { courseId: open.id }).expect(202);
      const okKnown = await apply(`198.51.100.${n + 1}`, {
        courseId: open.id,
        email: known.email,
      }).expect(202);
      expect(okKnown.body).toEqual(okNew.body);
    });
  });

  describe('logins', () => {
    it('should refuse an account for 15 minutes after 20 failures from many addresses, until cleared', async () => {
      const branch = await factory.branch();
      const { email } = await factory.coordinator(branch);
      const login = (address: string, password: string) =>
        from(request(t.http).post('/api/v1/auth/token'), address).send({ email, password });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          login(`203.0.113.${i + 1}`, 'wrong-password-x').expect(401),
        ),
      );
      const refused = await login('203.0.113.100', 'coordinator-password-1').expect(429);
      const wait = Number(refused.headers['retry-after']);
      expect(wait).toBeGreaterThan(14 * 60);
      expect(wait).toBeLessThanOrEqual(15 * 60);
      // Other accounts from those addresses are not held back.
      await login('203.0.113.1', 'x').expect(429);
      await from(request(t.http).post('/api/v1/auth/token'), '203.0.113.1')
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(201);

      // A completed password reset clears the account's counter.
      await t.app.get(LoginLimiter).clearAccount(email.toUpperCase());
      await login('203.0.113.100', 'coordinator-password-1').expect(201);
    }, 120_000);

    it('should still refuse one address after 20 failures on any accounts', async () => {
      const address = '203.0.113.200';
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          from(request(t.http).post('/api/v1/auth/token'), address)
            .send({ email: `nobody.${i}@test.klar`, password: 'wrong-password-x' })
            .expect(401),
        ),
      );
      const refused = await from(request(t.http).post('/api/v1/auth/token'), address)
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    }, 120_000);
  });
});

describe('limits across instances', () => {
  it('should share every limit between two app instances on one database', async () => {
    const database = await createTestDatabase();
    const env = { ...LIMITS_ENV, APPLY_LIMIT_PER_CLIENT: '2' };
    const first = await createTestApp({ database, env });
    const second = await createTestApp({ database, env });
    try {
      const branchCode = await new Factory(first).branch();
      const apply = (app: TestApp) =>
        from(request(app.http).post('/api/v1/applications'), '192.0.2.1').send(
          applicationBody({ branchCode }),
        );
      await apply(first).expect(202);
      await apply(second).expect(202);
      await apply(first).expect(429);
      await apply(second).expect(429);

      const login = (app: TestApp, password: string) =>
        from(request(app.http).post('/api/v1/auth/token'), '192.0.2.2').send({
          email: ADMIN_EMAIL,
          password,
        });
      for (let i = 0; i < 5; i += 1) {
        await login(i % 2 === 0 ? first : second, 'wrong-password-x').expect(401);
      }
      await login(first, ADMIN_PASSWORD).expect(429);
      const refused = await login(second, ADMIN_PASSWORD).expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429 });
    } finally {
      await second.close();
      await first.close();
      await database.dispose();
    }
  }, 60_000);
});

function recipientOf(mail: { to?: unknown }): string {
  const to = mail.to as { value: { address: string }[] } | undefined;
  return to?.value[0]?.address ?? '';
}
