import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { createTestApp, type TestApp } from './app';
import { applicationBody, Factory, portalTokenIn } from './factories';

describe('applications', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = (await factory.coordinator(branchCode)).token;
  });
  afterAll(() => t.close());

  const countWithEmail = async (email: string) =>
    Number(
      (
        await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM volunteer WHERE email = $1', [
          email,
        ])
      )[0].n,
    );

  it('should store the consent with its time and the application facts', async () => {
    const before = Date.now();
    const { id } = await factory.apply({
      branchCode,
      experience: 'Spejderleder',
      languages: ['da', 'ar'],
    });
    const [row] = await t.db.query<{ consent_at: Date; languages: string[]; experience: string }[]>(
      'SELECT consent_at, languages, experience FROM volunteer WHERE id = $1',
      [id],
    );
    expect(row.consent_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row).toMatchObject({ languages: ['da', 'ar'], experience: 'Spejderleder' });
  });

  it('should answer a duplicate like a new application, create nothing and mail the link again', async () => {
    const first = await factory.apply({ branchCode });
    const again = await request(t.http)
      .post('/api/v1/applications')
      .send(
        applicationBody({
          branchCode,
          email: first.email.toUpperCase(),
          firstName: 'Someone Else',
        }),
      )
      .expect(202);
    const fresh = await request(t.http)
      .post('/api/v1/applications')
      .send(applicationBody({ branchCode }))
      .expect(202);
    expect(again.body).toEqual(fresh.body);
    await t.app.get(PublicRequestQueue).drain();
    expect(await countWithEmail(first.email)).toBe(1);

    const reminder = await t.mail.waitFor(
      first.email,
      (m) => m.subject === 'Dit link til din personlige side',
    );
    const newLink = portalTokenIn(reminder.text ?? '');
    expect(newLink).not.toBe(first.portalToken);
    // Both links open the same person's page: knowing an address cannot lock its owner out.
    for (const token of [first.portalToken, newLink]) {
      const me = await request(t.http)
        .get('/api/v1/me')
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(me.body.id).toBe(first.id);
    }
    expect(reminder.text).toContain('Maja');
  });

  it('should keep one application when the same person submits twice at once', async () => {
    const body = applicationBody({ branchCode });
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => request(t.http).post('/api/v1/applications').send(body)),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    // Answered first, worked on right after: wait for the work.
    await t.app.get(PublicRequestQueue).drain();
    expect(await countWithEmail(String(body.email))).toBe(1);
  });

  it('should let a withdrawn person apply anew', async () => {
    const first = await factory.apply({ branchCode });
    await request(t.http)
      .post(`/api/v1/volunteers/${first.id}/withdraw`)
      .auth(coordinator, { type: 'bearer' })
      .expect(200);
    const second = await factory.apply({ branchCode, email: first.email });
    expect(second.id).not.toBe(first.id);
    expect(await countWithEmail(first.email)).toBe(2);
  });

  it('should keep one active application per email in the database itself', async () => {
    const { email } = await factory.apply({ branchCode });
    await expect(
      t.db.query(
        `INSERT INTO volunteer (branch_id, first_name, last_name, email, phone, postcode, motivation, consent_at)
         SELECT branch_id, 'X', 'Y', $1, '12345678', '8000', 'm', now() FROM volunteer WHERE email = $1`,
        [email],
      ),
    ).rejects.toThrow(/volunteer_active_email_key/);
  });

  it('should show the personal page only for a valid link', async () => {
    await request(t.http).get('/v/not-a-real-token').expect(404);
    const page = await request(t.http).get('/v/not-a-real-token').set('accept', 'text/html');
    expect(page.text).toContain('Linket virker ikke');
  });

  it('should escape what applicants type on their personal page', async () => {
    const { portalToken } = await factory.apply({
      branchCode,
      firstName: '<script>alert(1)</script>',
    });
    const page = await request(t.http).get(`/v/${portalToken}`).expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
  it('should keep an answered application that keeps failing, waiting longer each time, never dropping it', async () => {
    // Answered 202 and then unworkable (here: no first name, which the form never lets through).
    const payload = { ...applicationBody({ branchCode }), firstName: null };
    const [{ id }] = await t.db.query<{ id: string }[]>(
      `INSERT INTO public_request (kind, payload) VALUES ('application', $1) RETURNING id`,
      [JSON.stringify(payload)],
    );
    const queue = t.app.get(PublicRequestQueue);
    const state = async () =>
      (
        await t.db.query<{ attempts: number; waits: boolean; failed: boolean }[]>(
          `SELECT attempts, available_at > now() AS waits, failed_at IS NOT NULL AS failed
             FROM public_request WHERE id = $1`,
          [id],
        )
      )[0];

    await queue.drain();
    // Tried at once a second time (a race with a concurrent application), then it waits.
    expect(await state()).toEqual({ attempts: 2, waits: true, failed: false });

    await t.db.query(`UPDATE public_request SET attempts = 7, available_at = now() WHERE id = $1`, [
      id,
    ]);
    await queue.drain();
    expect(await state()).toMatchObject({ attempts: 8, failed: true });
    await queue.drain();
    expect(await state()).toMatchObject({ attempts: 8, failed: true });
    expect(await countWithEmail(String(payload.email))).toBe(0);
  });
});
