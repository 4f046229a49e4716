import { createHash, randomBytes } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { migrations } from '../migrations';
import { dataSourceOptions } from '../src/database/data-source';
import { openDataSource } from '../src/database/migrate';
import { ConfigError, loadConfig } from '../src/config/env';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  createTestDatabase,
  type TestApp,
  type TestDatabase,
} from './app';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';
import { serverUrl, urlForDatabase, withAdminClient, dropDatabase } from './database';

const onServer = serverUrl() ? describe : describe.skip;

/** An empty database on the test server: no template, no migrations run yet. */
async function freshServerDatabase(): Promise<TestDatabase> {
  const name = `klar_fresh_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'klar-test-'));
  return {
    options: dataSourceOptions({ databaseUrl: urlForDatabase(serverUrl()!, name), dataDir }),
    dataDir,
    dispose: async () => {
      await dropDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

onServer('two instances starting on a fresh database', () => {
  it('should migrate once when two connect at the same moment', async () => {
    const database = await freshServerDatabase();
    try {
      const opened = await Promise.allSettled([
        openDataSource(database.options),
        openDataSource(database.options),
      ]);
      const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      try {
        expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual([
          'ok',
          'ok',
        ]);
        const rows = await dbs[0].query<{ name: string }[]>('SELECT name FROM migrations');
        expect(rows.map((r) => r.name).sort()).toEqual(migrations.map((m) => m.name).sort());
      } finally {
        await Promise.all(dbs.map((db) => db.destroy()));
      }
    } finally {
      await database.dispose();
    }
  });

  it('should start two apps side by side, each with the bootstrap administrator', async () => {
    const database = await freshServerDatabase();
    try {
      const started = await Promise.allSettled([
        createTestApp({ database }),
        createTestApp({ database }),
      ]);
      const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
          'ok',
          'ok',
        ]);
        for (const t of apps) {
          await request(t.http)
            .post('/api/v1/auth/token')
            .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
            .expect(201);
        }
      } finally {
        await Promise.all(apps.map((t) => t.close()));
      }
    } finally {
      await database.dispose();
    }
  });
});

const NEW_PASSWORD = 'a-brand-new-password-42';

/** The reset link in a password-reset mail: the token and the page's path. */
function resetLinkIn(text: string): { token: string; path: string } {
  const match = /http:\/\/klar\.test(\/nulstil-adgangskode\/([A-Za-z0-9_-]+))/.exec(text);
  if (!match) {
    throw new Error(`No reset link in: ${text}`);
  }
  return { path: match[1], token: match[2] };
}

describe('staff accounts', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    adminToken = await factory.admin();
  });

  afterAll(async () => {
    await t.close();
  });

  async function idOf(email: string): Promise<string> {
    const [row] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE lower(email) = lower($1)',
      [email],
    );
    return row.id;
  }

  async function sessionsOf(userId: string): Promise<number> {
    const [row] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM http_session WHERE sess->>'userId' = $1`,
      [userId],
    );
    return row.n;
  }

  /** A coordinator with an id, a bearer token and a signed-in page session. */
  async function coordinator() {
    const { email, token } = await factory.coordinator(branchCode);
    const page = await signedInAgent(t, email, COORDINATOR_PASSWORD);
    return { id: await idOf(email), email, token, page };
  }

  const patchUser = (id: string, body: object, token = adminToken) =>
    request(t.http).patch(`/api/v1/users/${id}`).auth(token, { type: 'bearer' }).send(body);

  const signedIn = (token: string) =>
    request(t.http).get('/api/v1/volunteers').auth(token, { type: 'bearer' });

  describe('DELETE /api/v1/auth/token', () => {
    it('should end that token, and only that one', async () => {
      const { email, token } = await factory.coordinator(branchCode);
      const other = await factory.login(email, COORDINATOR_PASSWORD);
      await signedIn(token).expect(200);
      await request(t.http)
        .delete('/api/v1/auth/token')
        .auth(token, { type: 'bearer' })
        .expect(204);
      await signedIn(token).expect(401);
      await request(t.http)
        .delete('/api/v1/auth/token')
        .auth(token, { type: 'bearer' })
        .expect(401);
      await signedIn(other).expect(200);
    });

    it('should answer 401 without a token', async () => {
      await request(t.http).delete('/api/v1/auth/token').expect(401);
    });
  });

  describe('PATCH /api/v1/users/{id}', () => {
    it('should change name, branch and language, answer the user, and audit the change', async () => {
      const { id, email } = await coordinator();
      const otherBranch = await factory.branch();
      const res = await patchUser(id, {
        name: 'Karen Nyt-Navn',
        branchCode: otherBranch,
        language: 'en',
      }).expect(200);
      expect(res.body).toEqual({
        id,
        email,
        name: 'Karen Nyt-Navn',
        role: 'coordinator',
        branchCode: otherBranch,
        active: true,
        language: 'en',
      });
      const audit = await t.db.query<{ action: string; details: Record<string, unknown> }[]>(
        `SELECT action, details FROM audit_event WHERE details->>'userId' = $1 AND action = 'user.updated'`,
        [id],
      );
      expect(audit).toEqual([
        {
          action: 'user.updated',
          details: expect.objectContaining({
            changed: 'name,language,branchId',
            branchCode: otherBranch,
            language: 'en',
          }),
        },
      ]);
    });

    it('should make a coordinator an administrator of no branch, and back with a branch', async () => {
      const { id, token } = await coordinator();
      const admin = await patchUser(id, { role: 'admin' }).expect(200);
      expect(admin.body).toMatchObject({ role: 'admin', branchCode: null });
      await request(t.http).get('/api/v1/outbox').auth(token, { type: 'bearer' }).expect(200);
      const back = await patchUser(id, { role: 'coordinator' }).expect(400);
      expect(back.body.errors).toEqual([
        {
          field: 'branchCode',
          code: 'coordinatorNeedsBranch',
          message: "Choose the coordinator's branch",
        },
      ]);
      await patchUser(id, { role: 'coordinator', branchCode }).expect(200);
      await request(t.http).get('/api/v1/outbox').auth(token, { type: 'bearer' }).expect(403);
    });

    describe('with bad input', () => {
      let target: string;

      beforeAll(async () => {
        target = (await coordinator()).id;
      });

      it.each([
        [{ role: 'boss' }, 'role'],
        [{ active: 'no' }, 'active'],
        [{ name: null }, 'name'],
        [{ name: '' }, 'name'],
        [{ name: 'Karen\u0000' }, 'name'],
        [{ name: 'Karen\r\nBcc: x' }, 'name'],
        [{ language: 'de' }, 'language'],
        [{ branchCode: 'no-such-branch' }, 'branchCode'],
        [{ email: 'new@test.klar' }, 'email'],
      ])('should refuse %j with 400 naming %s, changing nothing', async (body, field) => {
        const res = await patchUser(target, body).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        const [user] = await t.db.query<{ name: string; active: boolean }[]>(
          'SELECT name, active FROM staff_user WHERE id = $1',
          [target],
        );
        expect(user).toEqual({ name: 'Karen Koordinator', active: true });
      });
    });

    it('should answer 404 for an unknown user, 400 for a bad id and 403 to a coordinator', async () => {
      const { id, token } = await coordinator();
      await patchUser('00000000-0000-4000-8000-000000000000', { name: 'X' }).expect(404);
      const bad = await patchUser('abc', { name: 'X' }).expect(400);
      expect(bad.body.errors).toEqual([
        { field: 'id', code: 'invalidId', message: 'The id is not valid' },
      ]);
      await patchUser(id, { active: false }, token).expect(403);
    });

    it('should keep one active administrator and not let one deactivate themselves', async () => {
      const adminId = await idOf(ADMIN_EMAIL);
      const self = await patchUser(adminId, { active: false }).expect(409);
      expect(self.body.message).toBe(
        'Du kan ikke deaktivere din egen konto. / You cannot deactivate your own account.',
      );
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM staff_user WHERE role = 'admin' AND active`,
      );
      expect(n).toBe(1);
      const demoted = await patchUser(adminId, { role: 'coordinator', branchCode }).expect(409);
      expect(demoted.body.message).toBe(
        'Klar skal have mindst én aktiv administrator. / Klar needs at least one active administrator.',
      );
      await signedIn(await factory.admin()).expect(200);
    });
  });

  describe('deactivating a user', () => {
    it('should end their tokens and page sessions at once, and refuse their login like a wrong password', async () => {
      const { id, email, token, page } = await coordinator();
      await page.get('/staff').expect(200);
      expect(await sessionsOf(id)).toBe(1);

      const res = await patchUser(id, { active: false }).expect(200);
      expect(res.body.active).toBe(false);

      await signedIn(token).expect(401);
      await page.get('/staff').expect(303).expect('location', '/login?next=%2Fstaff');
      expect(await sessionsOf(id)).toBe(0);
      const refused = await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email, password: COORDINATOR_PASSWORD })
        .expect(401);
      const wrong = await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email, password: 'not the password' })
        .expect(401);
      expect(refused.body).toEqual(wrong.body);

      await patchUser(id, { active: true }).expect(200);
      await factory.login(email, COORDINATOR_PASSWORD);
      const audit = await t.db.query<{ details: { active: boolean } }[]>(
        `SELECT details FROM audit_event WHERE details->>'userId' = $1 AND action = 'user.updated' ORDER BY id`,
        [id],
      );
      expect(audit.map((a) => a.details.active)).toEqual([false, true]);
    });

    it('should not let a session written back after the deactivation sign in again', async () => {
      const { id, page } = await coordinator();
      await page.get('/staff').expect(200);
      // What a request still in flight would do: save its session after the row went.
      const [row] = await t.db.query<{ sid: string; sess: object; expires_at: Date }[]>(
        `SELECT sid, sess, expires_at FROM http_session WHERE sess->>'userId' = $1`,
        [id],
      );
      await patchUser(id, { active: false }).expect(200);
      await patchUser(id, { active: true }).expect(200);
      await t.db.query('INSERT INTO http_session (sid, sess, expires_at) VALUES ($1, $2, $3)', [
        row.sid,
        JSON.stringify(row.sess),
        row.expires_at,
      ]);
      const again = await page.get('/staff');
      expect(again.status).toBe(303);
    });
  });

  describe('PATCH /api/v1/users/me', () => {
    it('should let a staff member change their own name and language', async () => {
      const { id, token } = await coordinator();
      const res = await request(t.http)
        .patch('/api/v1/users/me')
        .auth(token, { type: 'bearer' })
        .send({ name: 'Karen K.', language: 'en' })
        .expect(200);
      expect(res.body).toMatchObject({ id, name: 'Karen K.', language: 'en', role: 'coordinator' });
    });

    it('should refuse what only an administrator may change, and bad values, with 400 naming the field', async () => {
      const { token } = await coordinator();
      const cases: [object, string][] = [
        [{ role: 'admin' }, 'role'],
        [{ active: false }, 'active'],
        [{ language: 'sv' }, 'language'],
        [{ name: 'a\u0000' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await request(t.http)
          .patch('/api/v1/users/me')
          .auth(token, { type: 'bearer' })
          .send(body)
          .expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('should answer 401 without a token', async () => {
      await request(t.http).patch('/api/v1/users/me').send({ name: 'X' }).expect(401);
    });
  });

  describe('POST /api/v1/auth/password', () => {
    it('should change the password and end every other token and session of the user', async () => {
      const { id, email, token, page } = await coordinator();
      const other = await factory.login(email, COORDINATOR_PASSWORD);
      await request(t.http)
        .post('/api/v1/auth/password')
        .auth(token, { type: 'bearer' })
        .send({ currentPassword: COORDINATOR_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);
      await signedIn(token).expect(200);
      await signedIn(other).expect(401);
      await page.get('/staff').expect(303);
      expect(await sessionsOf(id)).toBe(0);
      await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email, password: COORDINATOR_PASSWORD })
        .expect(401);
      await factory.login(email, NEW_PASSWORD);
    });

    it('should answer 400 on currentPassword for a wrong one, changing nothing', async () => {
      const { email, token } = await coordinator();
      const other = await factory.login(email, COORDINATOR_PASSWORD);
      const res = await request(t.http)
        .post('/api/v1/auth/password')
        .auth(token, { type: 'bearer' })
        .send({ currentPassword: 'not my password', newPassword: NEW_PASSWORD })
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          field: 'currentPassword',
          code: 'wrongPassword',
          message: 'That is not your current password',
        },
      ]);
      await signedIn(other).expect(200);
      await factory.login(email, COORDINATOR_PASSWORD);
    });

    it('should answer 400 on newPassword for a short one and 401 without a token', async () => {
      const { token } = await coordinator();
      const res = await request(t.http)
        .post('/api/v1/auth/password')
        .auth(token, { type: 'bearer' })
        .send({ currentPassword: COORDINATOR_PASSWORD, newPassword: 'short' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['newPassword']);
      await request(t.http)
        .post('/api/v1/auth/password')
        .send({ currentPassword: COORDINATOR_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(401);
    });
  });

  describe('the account page', () => {
    it('should change the password there, keeping this session and ending the others', async () => {
      const { id, email, token, page } = await coordinator();
      const elsewhere = await signedInAgent(t, email, COORDINATOR_PASSWORD);
      const account = await page.get('/staff/account').expect(200);
      expect(account.text).toContain('Skift adgangskode');

      await page
        .post('/staff/account/password')
        .type('form')
        .send({
          _csrf: csrfIn(account.text),
          currentPassword: 'wrong one',
          newPassword: NEW_PASSWORD,
        })
        .expect(303)
        .expect('location', '/staff/account');
      const refused = await page.get('/staff/account').expect(200);
      expect(refused.text).toContain('Det er ikke din nuværende adgangskode');

      await page
        .post('/staff/account/password')
        .type('form')
        .send({
          _csrf: csrfIn(refused.text),
          currentPassword: COORDINATOR_PASSWORD,
          newPassword: NEW_PASSWORD,
        })
        .expect(303)
        .expect('location', '/staff/account');
      const done = await page.get('/staff/account').expect(200);
      expect(done.text).toContain('Din adgangskode er skiftet');
      await elsewhere.get('/staff').expect(303);
      await signedIn(token).expect(401);
      expect(await sessionsOf(id)).toBe(1);
      await page.get('/staff').expect(200);
    });

    it('should change the name and language there, and show the pages in that language', async () => {
      const { id, page } = await coordinator();
      const account = await page.get('/staff/account').expect(200);
      await page
        .post('/staff/account')
        .type('form')
        .send({ _csrf: csrfIn(account.text), name: 'Karen Engelsk', language: 'en' })
        .expect(303);
      const after = await page.get('/staff/account').expect(200);
      expect(after.text).toContain('<html lang="en">');
      expect(after.text).toContain('value="Karen Engelsk"');
      const [user] = await t.db.query<{ language: string }[]>(
        'SELECT language FROM staff_user WHERE id = $1',
        [id],
      );
      expect(user.language).toBe('en');
    });
  });

  describe('the users page', () => {
    it('should let an administrator deactivate a user there, ending their session', async () => {
      const { id, page: theirs } = await coordinator();
      const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const list = await admin.get('/staff/users').expect(200);
      expect(list.text).toContain(`href="/staff/users/${id}"`);
      const edit = await admin.get(`/staff/users/${id}`).expect(200);
      await admin
        .post(`/staff/users/${id}`)
        .type('form')
        .send({
          _csrf: csrfIn(edit.text),
          name: 'Karen Koordinator',
          role: 'coordinator',
          branchCode,
          language: 'da',
        })
        .expect(303)
        .expect('location', '/staff/users');
      await theirs.get('/staff').expect(303);
      const after = await admin.get('/staff/users').expect(200);
      expect(after.text).toContain('Deaktiveret');
    });

    /** Posts the user page as a coordinator with "Ingen" as the branch; the page it comes back to. */
    async function saveAsCoordinatorWithoutBranch(id: string, before?: () => Promise<unknown>) {
      const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const edit = await admin.get(`/staff/users/${id}`).expect(200);
      await before?.();
      await admin
        .post(`/staff/users/${id}`)
        .type('form')
        .send({
          _csrf: csrfIn(edit.text),
          name: 'Karen',
          role: 'coordinator',
          branchCode: '',
          language: 'da',
          active: 'on',
        })
        .expect(303)
        .expect('location', `/staff/users/${id}`);
      return (await admin.get(`/staff/users/${id}`).expect(200)).text;
    }

    it('should change the role there, with the error next to the branch field when one is missing', async () => {
      const { id } = await coordinator();
      const refused = await saveAsCoordinatorWithoutBranch(id, () =>
        patchUser(id, { role: 'admin' }).expect(200),
      );
      expect(refused).toContain('Vælg koordinatorens lokalafdeling');
      expect(refused).toMatch(/id="f-user-branchCode-error"/);
    });

    it('should refuse "Ingen" as the branch of a coordinator who stays one, keeping the branch', async () => {
      const { id } = await coordinator();
      const refused = await saveAsCoordinatorWithoutBranch(id);
      expect(refused).toContain('Vælg koordinatorens lokalafdeling');
      expect(refused).not.toContain('Brugeren er gemt.');
      const [user] = await t.db.query<{ branch_id: string | null }[]>(
        'SELECT branch_id FROM staff_user WHERE id = $1',
        [id],
      );
      expect(user.branch_id).toEqual(expect.any(String));
    });
  });

  describe('password reset', () => {
    async function requestReset(email: string) {
      const seen = t.mail.messages.length;
      const res = await request(t.http)
        .post('/api/v1/auth/password-reset')
        .send({ email })
        .expect(202);
      const mail = await t.mail.waitFor(email, (m) => t.mail.messages.indexOf(m) >= seen);
      return { res, mail, link: resetLinkIn(mail.text ?? '') };
    }

    async function setPassword(path: string, password: string) {
      const agent = request.agent(t.http);
      const page = await agent.get(path);
      if (page.status !== 200) {
        return page;
      }
      return agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfIn(page.text), newPassword: password });
    }

    it('should mail a single-use link that sets a new password and ends every token and session', async () => {
      const { id, email, token, page } = await coordinator();
      const { res, mail, link } = await requestReset(email.toUpperCase());
      expect(res.body.message).toMatch(/If the address belongs/);
      expect(mail.subject).toBe('Vælg en ny adgangskode til Klar');
      expect(mail.text).toContain('60 minutter');
      const [stored] = await t.db.query<{ token_hash: string }[]>(
        'SELECT token_hash FROM password_reset WHERE user_id = $1',
        [id],
      );
      expect(stored.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));

      const form = await request(t.http).get(link.path).expect(200);
      expect(form.text).toContain('Vælg en ny adgangskode');
      expect(form.headers['cache-control']).toBe('no-store');
      const done = await setPassword(link.path, NEW_PASSWORD);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login');

      await factory.login(email, NEW_PASSWORD);
      await signedIn(token).expect(401);
      await page.get('/staff').expect(303);
      const again = await request(t.http).get(link.path).expect(404);
      expect(again.text).toContain('Linket virker ikke længere');
      const reused = await setPassword(link.path, 'yet-another-password-9');
      expect(reused.status).toBe(404);
      await factory.login(email, NEW_PASSWORD);
      const audit = await t.db.query<{ actor_id: string }[]>(
        `SELECT actor_id FROM audit_event WHERE action = 'user.password_reset' AND details->>'userId' = $1`,
        [id],
      );
      expect(audit).toEqual([{ actor_id: id }]);
    });

    it('should refuse a link after its hour is up', async () => {
      const { id, email } = await coordinator();
      const { link } = await requestReset(email);
      await t.db.query(
        `UPDATE password_reset SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [id],
      );
      await request(t.http).get(link.path).expect(404);
      const agent = request.agent(t.http);
      const login = await agent.get('/login').expect(200);
      await agent
        .post(link.path)
        .type('form')
        .send({ _csrf: csrfIn(login.text), newPassword: NEW_PASSWORD })
        .expect(303)
        .expect('location', link.path);
      await factory.login(email, COORDINATOR_PASSWORD);
    });

    it('should answer unknown and deactivated addresses the same 202, and mail them nothing', async () => {
      const { id, email } = await coordinator();
      await patchUser(id, { active: false }).expect(200);
      const known = await requestReset(ADMIN_EMAIL);
      for (const address of ['nobody@test.klar', email]) {
        const res = await request(t.http)
          .post('/api/v1/auth/password-reset')
          .send({ email: address })
          .expect(202);
        expect(res.body).toEqual(known.res.body);
      }
      const queued = await t.db.query<unknown[]>(
        `SELECT 1 FROM outbox_message WHERE template = 'password-reset' AND recipient IN ($1, $2)`,
        ['nobody@test.klar', email],
      );
      expect(queued).toEqual([]);
    });

    it('should mail at most three live links per user, answering 202 to every request', async () => {
      const { email } = await coordinator();
      for (let i = 0; i < 5; i++) {
        await request(t.http).post('/api/v1/auth/password-reset').send({ email }).expect(202);
      }
      const queued = await t.db.query<unknown[]>(
        `SELECT 1 FROM outbox_message WHERE template = 'password-reset' AND recipient = $1`,
        [email],
      );
      expect(queued).toHaveLength(3);
    });

    it('should answer 429 with Retry-After once a client passed APPLY_LIMIT_PER_CLIENT reset requests in an hour', async () => {
      const limited = await createTestApp({ env: { APPLY_LIMIT_PER_CLIENT: '2' } });
      try {
        const ask = (email: string) =>
          request(limited.http).post('/api/v1/auth/password-reset').send({ email });
        await ask('someone@example.org').expect(202);
        await ask(ADMIN_EMAIL).expect(202);
        const refused = await ask('anyone@example.org').expect(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
        // The refusal is the same for a known address: it says nothing about accounts.
        await ask(ADMIN_EMAIL).expect(429);
      } finally {
        await limited.close();
      }
    });

    it('should answer 400 on email for something that is not an address', async () => {
      const res = await request(t.http)
        .post('/api/v1/auth/password-reset')
        .send({ email: 'x\u0000@y' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
    });

    it('should let the locked-out owner sign in at once after a reset', async () => {
      const { email } = await coordinator();
      for (let i = 0; i < 5; i++) {
        await request(t.http)
          .post('/api/v1/auth/token')
          .send({ email, password: 'a wrong guess' })
          .expect(401);
      }
      await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email, password: COORDINATOR_PASSWORD })
        .expect(429);
      const { link } = await requestReset(email);
      expect((await setPassword(link.path, NEW_PASSWORD)).status).toBe(303);
      await factory.login(email, NEW_PASSWORD);
    });

    it('should offer "Glemt adgangskode?" on the login page and mail the link from its form', async () => {
      const { email } = await coordinator();
      const agent = request.agent(t.http);
      const login = await agent.get('/login').expect(200);
      expect(login.text).toContain('<a href="/glemt-adgangskode">Glemt adgangskode?</a>');
      const form = await agent.get('/glemt-adgangskode').expect(200);
      await agent
        .post('/glemt-adgangskode')
        .type('form')
        .send({ _csrf: csrfIn(form.text), email: 'not an address' })
        .expect(303)
        .expect('location', '/glemt-adgangskode');
      const refused = await agent.get('/glemt-adgangskode').expect(200);
      expect(refused.text).toContain('Skriv en gyldig e-mailadresse');
      expect(refused.text).toContain('value="not an address"');
      await agent
        .post('/glemt-adgangskode')
        .type('form')
        .send({ _csrf: csrfIn(refused.text), email })
        .expect(303)
        .expect('location', '/login');
      const notice = await agent.get('/login').expect(200);
      expect(notice.text).toContain('Hvis adressen hører til en aktiv konto');
      const mail = await t.mail.waitFor(
        email,
        (m) => m.subject === 'Vælg en ny adgangskode til Klar',
      );
      expect(resetLinkIn(mail.text ?? '').path).toMatch(/^\/nulstil-adgangskode\//);
    });
  });
});

describe('demo data never in production', () => {
  it('should stop the start-up for SEED_DEMO=true with NODE_ENV=production, naming both', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' })).toThrow(
      /SEED_DEMO=true is not allowed with NODE_ENV=production/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true', DATABASE_URL: 'postgres://u@db/k' }),
    ).toThrow(ConfigError);
  });

  it('should seed nothing by default in production, embedded or not', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/k' }).seedDemo).toBe(
      false,
    );
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig({}).seedDemo).toBe(true);
  });

  it('should take the public demo password and the demo-camilla link away when a demo database starts in production', async () => {
    const database = await createTestDatabase();
    try {
      const demo = await createTestApp({ database, env: { SEED_DEMO: 'true' } });
      try {
        await new Factory(demo).login('admin@klar.local', 'klar-demo-2026');
        await request(demo.http)
          .get('/api/v1/me')
          .auth('demo-camilla', { type: 'bearer' })
          .expect(200);
      } finally {
        await demo.close();
      }
      const real = await createTestApp({ database, env: { NODE_ENV: 'production' } });
      try {
        for (const email of ['admin@klar.local', 'koordinator@klar.local']) {
          await request(real.http)
            .post('/api/v1/auth/token')
            .send({ email, password: 'klar-demo-2026' })
            .expect(401);
        }
        await request(real.http)
          .get('/api/v1/me')
          .auth('demo-camilla', { type: 'bearer' })
          .expect(401);
        await new Factory(real).admin();
      } finally {
        await real.close();
      }
    } finally {
      await database.dispose();
    }
  }, 180_000);
});
