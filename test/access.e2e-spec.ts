import request from 'supertest';
import { ADMIN_EMAIL, createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { dateFromToday, instantFromToday } from './dates';

describe('who may do what', () => {
  let t: TestApp;
  let factory: Factory;
  let own: { email: string; token: string };
  let other: { email: string; token: string };
  let ownBranch: string;
  let volunteerId: string;
  let visitId: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    ownBranch = await factory.branch();
    own = await factory.coordinator(ownBranch);
    other = await factory.coordinator(await factory.branch());
    volunteerId = (await factory.apply({ branchCode: ownBranch })).id;
    const visit = await request(t.http)
      .post(`/api/v1/volunteers/${volunteerId}/home-visits`)
      .auth(own.token, { type: 'bearer' })
      .send({ scheduledAt: instantFromToday(40, 10) })
      .expect(201);
    visitId = visit.body.id;
  });
  afterAll(() => t.close());

  it('should answer 401 without a token, with a bad one and with a volunteer link', async () => {
    const anonymous = await request(t.http).get('/api/v1/volunteers').expect(401);
    expect(anonymous.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing or invalid credentials',
    });
    await request(t.http).get('/api/v1/volunteers').auth('made-up', { type: 'bearer' }).expect(401);
    await request(t.http).get('/api/v1/volunteers').set('authorization', 'Basic abc').expect(401);
    const portal = (await factory.apply({ branchCode: ownBranch })).portalToken;
    await request(t.http).get('/api/v1/volunteers').auth(portal, { type: 'bearer' }).expect(401);
    await request(t.http).get('/api/v1/me').auth(own.token, { type: 'bearer' }).expect(401);
  });

  it('should answer 401 for an expired token', async () => {
    await t.db.query(
      `UPDATE auth_token SET expires_at = now() - interval '1 minute' WHERE user_id =
      (SELECT id FROM staff_user WHERE email = $1)`,
      [own.email],
    );
    await request(t.http).get('/api/v1/volunteers').auth(own.token, { type: 'bearer' }).expect(401);
    own.token = await factory.login(own.email, COORDINATOR_PASSWORD);
  });

  it('should answer 403 when a coordinator tries an administrator route', async () => {
    const res = await request(t.http)
      .post('/api/v1/branches')
      .auth(own.token, { type: 'bearer' })
      .send({ code: 'sneaky', name: 'Sneaky' })
      .expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    await request(t.http)
      .post('/api/v1/users')
      .auth(own.token, { type: 'bearer' })
      .send({ email: 'x@test.klar', name: 'X', role: 'admin', password: 'long-enough-pw' })
      .expect(403);
  });

  it("should answer 404 for every read and write of another branch's volunteer", async () => {
    const as = (req: request.Test) => req.auth(other.token, { type: 'bearer' });
    const notFound = await as(request(t.http).get(`/api/v1/volunteers/${volunteerId}`)).expect(404);
    expect(notFound.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Volunteer not found',
    });
    await as(
      request(t.http)
        .post(`/api/v1/volunteers/${volunteerId}/home-visits`)
        .send({ scheduledAt: instantFromToday(41, 11) }),
    ).expect(404);
    await as(
      request(t.http).post(`/api/v1/home-visits/${visitId}/outcome`).send({ outcome: 'approved' }),
    ).expect(404);
    await as(
      request(t.http)
        .post(`/api/v1/volunteers/${volunteerId}/attestations`)
        .send({ receivedOn: dateFromToday(-30), result: 'clean' }),
    ).expect(404);
    await as(request(t.http).post(`/api/v1/volunteers/${volunteerId}/withdraw`)).expect(404);

    const unknown = await as(
      request(t.http).get('/api/v1/volunteers/00000000-0000-4000-8000-000000000000'),
    ).expect(404);
    expect(unknown.body).toEqual(notFound.body);

    const own404 = await request(t.http)
      .get(`/api/v1/volunteers/${volunteerId}`)
      .auth(own.token, { type: 'bearer' });
    expect(own404.body.homeVisits[0].outcome).toBeNull();
    expect(own404.body.stage).toBe('visit_scheduled');
  });

  it("should list only the coordinator's own branch, whatever branch is asked for", async () => {
    const mine = await request(t.http)
      .get('/api/v1/volunteers')
      .auth(own.token, { type: 'bearer' })
      .expect(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((v: { branchCode: string }) => v.branchCode === ownBranch)).toBe(
      true,
    );
    const theirs = await request(t.http)
      .get('/api/v1/volunteers')
      .query({ branch: ownBranch })
      .auth(other.token, { type: 'bearer' })
      .expect(200);
    expect(theirs.body).toEqual({ items: [], total: 0 });
  });

  it('should let an administrator see every branch', async () => {
    const admin = await factory.admin();
    await request(t.http)
      .get(`/api/v1/volunteers/${volunteerId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    const all = await request(t.http)
      .get('/api/v1/volunteers')
      .query({ branch: ownBranch })
      .auth(admin, { type: 'bearer' });
    expect(all.body.items.map((v: { id: string }) => v.id)).toContain(volunteerId);
  });

  it('should give an unknown email and a wrong password the same 401', async () => {
    const unknown = await request(t.http)
      .post('/api/v1/auth/token')
      .send({ email: 'nobody@test.klar', password: 'whatever-password' })
      .expect(401);
    const wrong = await request(t.http)
      .post('/api/v1/auth/token')
      .send({ email: ADMIN_EMAIL, password: 'whatever-password' })
      .expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.message).toBe('Email or password is wrong');
  });

  it('should answer 429 after repeated failed logins, even for the right password', async () => {
    const attempt = (password: string) =>
      request(t.http).post('/api/v1/auth/token').send({ email: other.email, password });
    for (let i = 0; i < 5; i += 1) {
      await attempt('wrong-password-x').expect(401);
    }
    const limited = await attempt(COORDINATOR_PASSWORD).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The other coordinator, on the same address, is not locked out.
    await request(t.http)
      .post('/api/v1/auth/token')
      .send({ email: own.email, password: COORDINATOR_PASSWORD })
      .expect(201);
  });

  it('should store tokens and passwords only as hashes', async () => {
    const [user] = await t.db.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM staff_user WHERE email = $1',
      [own.email],
    );
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const tokens = await t.db.query<{ token_hash: string }[]>('SELECT token_hash FROM auth_token');
    expect(tokens.map((r) => r.token_hash)).not.toContain(own.token);
    expect(tokens.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('should list volunteers in the same few queries whatever the page size', async () => {
    for (let i = 0; i < 6; i += 1) {
      await factory.apply({ branchCode: ownBranch });
    }
    const queriesFor = async (limit: number) => {
      const probe = t.queryLog.probe();
      const res = await request(t.http)
        .get('/api/v1/volunteers')
        .query({ limit })
        .set(probe.headers)
        .auth(own.token, { type: 'bearer' })
        .expect(200);
      expect(res.body.items).toHaveLength(Math.min(limit, res.body.total));
      // the bearer token lookup, then the page with its total
      return probe.queries().length;
    };
    expect(await queriesFor(2)).toBe(2);
    expect(await queriesFor(500)).toBe(2);
  });
});
