import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { createTestApp, type TestApp } from './app';
import { applicationBody, createCourse, Factory } from './factories';
import { signedInAgent, submitForm } from './pages';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app';

describe('branch administration, outbox resend and staff mail language', () => {
  let t: TestApp;
  let factory: Factory;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    admin = await factory.admin();
  });
  afterAll(() => t.close());

  const patch = (code: string, body: Record<string, unknown>, token = admin) =>
    request(t.http).patch(`/api/v1/branches/${code}`).auth(token, { type: 'bearer' }).send(body);

  const fallbacks = async () =>
    (
      await t.db.query<{ code: string }[]>('SELECT code FROM branch WHERE fallback ORDER BY code')
    ).map((r) => r.code);

  describe('PATCH /api/v1/branches/{code}', () => {
    it('should change name, postcodes and contact email and audit the change', async () => {
      const code = await factory.branch();
      const res = await patch(code, {
        name: 'Home-Start Nordjylland',
        postcodes: ['9000', '9200', '9000'],
        contactEmail: ' Nord@Example.DK ',
      }).expect(200);
      expect(res.body).toMatchObject({
        code,
        name: 'Home-Start Nordjylland',
        postcodes: ['9000', '9200'],
        contactEmail: 'nord@example.dk',
        active: true,
        fallback: false,
      });
      const [audit] = await t.db.query<{ details: { changed: string } }[]>(
        `SELECT a.details FROM audit_event a JOIN branch b ON b.id = a.branch_id
          WHERE b.code = $1 AND a.action = 'branch.updated'`,
        [code],
      );
      expect(audit.details.changed).toBe('name, postcodes, contactEmail');
    });

    it('should name the bad field, refuse coordinators and answer 404 for an unknown code', async () => {
      const code = await factory.branch();
      const bad = await patch(code, { postcodes: ['900'], contactEmail: 'nope' }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'contactEmail',
        'postcodes',
      ]);
      await patch(code, { code: 'other' }).expect(400);
      const coordinator = await factory.coordinator(code);
      await patch(code, { name: 'X' }, coordinator.token).expect(403);
      await patch('no-such-branch', { name: 'X' }).expect(404);
    });

    it('should move the fallback: one branch at a time holds it', async () => {
      const first = await factory.branch();
      const second = await factory.branch();
      await patch(first, { fallback: true }).expect(200);
      expect(await fallbacks()).toEqual([first]);
      await patch(second, { fallback: true }).expect(200);
      expect(await fallbacks()).toEqual([second]);
      await patch(second, { fallback: false }).expect(200);
      expect(await fallbacks()).toEqual([]);
    });

    it('should keep two fallbacks out in the database itself', async () => {
      const a = await factory.branch();
      const b = await factory.branch();
      await t.db.query('UPDATE branch SET fallback = true WHERE code = $1', [a]);
      await expect(
        t.db.query('UPDATE branch SET fallback = true WHERE code = $1', [b]),
      ).rejects.toThrow(/branch_fallback_key/);
      await t.db.query('UPDATE branch SET fallback = false WHERE code = $1', [a]);
    });

    it('should end with exactly one fallback when two branches claim it at once', async () => {
      const codes = [await factory.branch(), await factory.branch(), await factory.branch()];
      const answers = await Promise.all(codes.map((c) => patch(c, { fallback: true })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(await fallbacks()).toHaveLength(1);
      await patch((await fallbacks())[0], { fallback: false }).expect(200);
    });

    it('should refuse to deactivate a branch with active volunteers, saying why, and allow it once they left', async () => {
      const code = await factory.branch();
      const coordinator = await factory.coordinator(code);
      const { id } = await factory.apply({ branchCode: code });
      const refused = await patch(code, { active: false }).expect(409);
      expect(refused.body.message).toMatch(/because it has 1 active volunteer\. /);
      await request(t.http)
        .post(`/api/v1/volunteers/${id}/withdraw`)
        .auth(coordinator.token, { type: 'bearer' })
        .expect(200);
      const res = await patch(code, { active: false }).expect(200);
      expect(res.body.active).toBe(false);
    });

    it('should refuse to deactivate a branch with a course that has not ended', async () => {
      const code = await factory.branch();
      await createCourse(t, admin, { branchCode: code });
      const refused = await patch(code, { active: false }).expect(409);
      expect(refused.body.message).toMatch(/because it has 1 active course\. /);
    });

    it('should keep an inactive branch from being the fallback and take it off the public list', async () => {
      const code = await factory.branch();
      await patch(code, { fallback: true }).expect(200);
      const both = await patch(code, { active: false }).expect(400);
      expect(both.body.errors[0].field).toBe('active');
      await patch(code, { fallback: false, active: false }).expect(200);
      await patch(code, { fallback: true }).expect(400);
      const list = await request(t.http).get('/api/v1/branches').expect(200);
      expect(list.body.map((b: { code: string }) => b.code)).not.toContain(code);
    });
  });

  describe('branch pages', () => {
    it('should save the edit form and show the deactivation refusal in Danish', async () => {
      const code = await factory.branch();
      await factory.apply({ branchCode: code });
      const agent = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const page = `/staff/branches/${code}`;
      expect(
        await submitForm(agent, page, page, {
          name: 'Home-Start Vest',
          postcodes: '6700, 6705\n6710',
          contactEmail: 'vest@example.dk',
          fallback: 'on',
        }),
      ).toBe('/staff/branches');
      expect(await fallbacks()).toEqual([code]);
      const list = await agent.get('/staff/branches').expect(200);
      expect(list.text).toContain('Home-Start Vest');

      const bad = `/staff/branches/${code}`;
      expect(await submitForm(agent, bad, bad, { name: 'Vest', contactEmail: 'x' })).toBe(bad);
      const again = await agent.get(bad).expect(200);
      expect(again.text).toContain('Skriv en gyldig e-mailadresse');
      expect(again.text).toContain('value="x"');

      const confirm = `/staff/branches/${code}/deaktiver`;
      expect(await submitForm(agent, confirm, confirm)).toBe(confirm);
      const refused = await agent.get(confirm).expect(200);
      expect(refused.text).toContain('Lokalafdelingen modtager ansøgninger fra postnumre');
      await request(t.http)
        .patch(`/api/v1/branches/${code}`)
        .auth(admin, { type: 'bearer' })
        .send({ fallback: false })
        .expect(200);
      expect(await submitForm(agent, confirm, confirm)).toBe(confirm);
      const busy = await agent.get(confirm).expect(200);
      expect(busy.text).toContain(
        'Lokalafdelingen kan ikke deaktiveres, fordi den har 1 aktiv frivillig.',
      );
    });
  });

  describe('POST /api/v1/outbox/{id}/resend', () => {
    const messageTo = async (email: string) => {
      const [row] = await t.db.query<{ id: string }[]>(
        `SELECT id FROM outbox_message WHERE recipient = $1 AND template = 'application-received'`,
        [email],
      );
      return row.id;
    };
    const resend = (id: string, token = admin) =>
      request(t.http).post(`/api/v1/outbox/${id}/resend`).auth(token, { type: 'bearer' });

    it('should queue a failed message again and deliver it, and refuse it once more while it is not failed', async () => {
      const branchCode = await factory.branch();
      const { email } = await factory.apply({ branchCode });
      const id = await messageTo(email);
      // A delivery that gave up: what the worker leaves after its last attempt.
      await t.db.query(
        `UPDATE outbox_message SET status = 'failed', sent_at = NULL, attempts = 8, last_error = 'ECONNREFUSED' WHERE id = $1`,
        [id],
      );
      const before = t.mail.to(email).length;
      await resend(id).expect(202);
      await t.mail.waitFor(email, () => t.mail.to(email).length > before);
      // The worker marks it sent right after the server took it.
      const status = async () =>
        (
          await t.db.query<{ status: string }[]>(
            'SELECT status FROM outbox_message WHERE id = $1',
            [id],
          )
        )[0].status;
      for (let i = 0; i < 100 && (await status()) !== 'sent'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await status()).toBe('sent');
      const again = await resend(id).expect(409);
      expect(again.body.message).toMatch(/sent/);
    });

    it('should refuse a failed message whose body was removed, coordinators and unknown ids', async () => {
      const branchCode = await factory.branch();
      const coordinator = await factory.coordinator(branchCode);
      const { email } = await factory.apply({ branchCode });
      const id = await messageTo(email);
      await t.db.query(
        `UPDATE outbox_message SET status = 'failed', sent_at = NULL, text_body = '', html_body = '' WHERE id = $1`,
        [id],
      );
      await resend(id, coordinator.token).expect(403);
      const purged = await resend(id).expect(409);
      expect(purged.body.message).toMatch(/removed/);
      await resend('00000000-0000-4000-8000-000000000000').expect(404);
      await resend('not-a-uuid').expect(400);
    });
  });

  describe('staff mail language', () => {
    it('should write the new-application notice in each coordinator’s language', async () => {
      const branchCode = await factory.branch();
      const danish = await factory.coordinator(branchCode);
      const english = await factory.coordinator(branchCode);
      await request(t.http)
        .patch('/api/v1/users/me')
        .auth(english.token, { type: 'bearer' })
        .send({ language: 'en' })
        .expect(200);
      await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, firstName: 'Sprog' }))
        .expect(202);
      await t.app.get(PublicRequestQueue).drain();
      const en = await t.mail.waitFor(english.email, (m) => /Sprog/.test(m.subject ?? ''));
      const da = await t.mail.waitFor(danish.email, (m) => /Sprog/.test(m.subject ?? ''));
      expect(en.subject).toMatch(/^New application: Sprog/);
      expect(da.subject).toMatch(/^Ny ansøgning: Sprog/);
    });

    it('should not mail a deactivated coordinator', async () => {
      const branchCode = await factory.branch();
      const active = await factory.coordinator(branchCode);
      const gone = await factory.coordinator(branchCode);
      const [user] = await t.db.query<{ id: string }[]>(
        'SELECT id FROM staff_user WHERE email = $1',
        [gone.email],
      );
      await request(t.http)
        .patch(`/api/v1/users/${user.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ active: false })
        .expect(200);
      await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, firstName: 'Stille' }))
        .expect(202);
      await t.app.get(PublicRequestQueue).drain();
      await t.mail.waitFor(active.email, (m) => /Stille/.test(m.subject ?? ''));
      const [count] = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM outbox_message WHERE recipient = $1',
        [gone.email],
      );
      expect(count.n).toBe(0);
    });
  });
});
