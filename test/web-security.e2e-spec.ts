import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';
import {
  cookieHeader,
  directive,
  failLoginsUntilLimited,
  sessionRows,
  setCookie,
} from './web-security';

describe('security headers', () => {
  let t: TestApp;
  let https: TestApp;

  beforeAll(async () => {
    [t, https] = await Promise.all([
      createTestApp(),
      createTestApp({ env: { PUBLIC_URL: 'https://klar.test', TRUST_PROXY: '1' } }),
    ]);
  });
  afterAll(() => Promise.all([t.close(), https.close()]));

  it('should send a strict policy, nosniff, no referrer and no framing on pages, the API and static files', async () => {
    for (const path of [
      '/',
      '/ansog',
      '/login',
      '/api/v1/branches',
      '/static/klar.css',
      '/health',
    ]) {
      const res = await request(t.http).get(path).expect(200);
      const csp = res.headers['content-security-policy'];
      expect(directive(csp, 'script-src')).toBe("'self'");
      expect(directive(csp, 'script-src-attr')).toBe("'none'");
      expect(directive(csp, 'style-src')).toBe("'self'");
      expect(directive(csp, 'default-src')).toBe("'self'");
      expect(directive(csp, 'frame-ancestors')).toBe("'none'");
      expect(directive(csp, 'object-src')).toBe("'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('should forbid storing the personal page, staff pages and /api/v1/me, and only those', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const volunteer = await factory.apply({ branchCode });
    const staff = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const personal = [
      await request(t.http).get(`/v/${volunteer.portalToken}`).expect(200),
      await request(t.http).get('/v/not-a-live-link'),
      await request(t.http).get('/staff/volunteers').expect(303),
      await staff.get('/staff').expect(200),
      await staff.get('/staff/volunteers').expect(200),
      await request(t.http)
        .get('/api/v1/me')
        .auth(volunteer.portalToken, { type: 'bearer' })
        .expect(200),
      await request(t.http).get('/api/v1/me').expect(401),
    ];
    for (const res of personal) {
      expect(res.headers['cache-control']).toBe('no-store');
    }
    for (const path of ['/', '/ansog', '/api/v1/branches', '/api/v1/curriculum']) {
      const res = await request(t.http).get(path).expect(200);
      expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
    }
  });

  it('should give Swagger UI a policy of its own that allows inline style and still no inline script', async () => {
    const page = await request(t.http).get('/api/docs').expect(200);
    const csp = page.headers['content-security-policy'];
    expect(directive(csp, 'style-src')).toBe("'self' 'unsafe-inline'");
    expect(directive(csp, 'script-src')).toBe("'self'");
    expect(directive(csp, 'frame-ancestors')).toBe("'none'");
    // Its scripts are files under the policy's 'self': the page has no inline script.
    expect(page.text).not.toMatch(/<script>/);
    await request(t.http).get('/api/docs/swagger-ui-init.js').expect(200);
    const pages = await request(t.http).get('/login').expect(200);
    expect(directive(pages.headers['content-security-policy'], 'style-src')).toBe("'self'");
  });

  it('should send HSTS and upgrade insecure requests only when PUBLIC_URL is https', async () => {
    const res = await request(https.http).get('/login').expect(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    const api = await request(https.http).get('/api/v1/branches').expect(200);
    expect(api.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('the session cookie', () => {
  it('should sign in on a production install at an http address (cookie not Secure)', async () => {
    const t = await createTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const agent = request.agent(t.http);
      const login = await agent.get('/login').expect(200);
      const signIn = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfIn(login.text), email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(303)
        .expect('location', '/staff');
      const cookie = setCookie(signIn, 'klar.sid');
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).not.toMatch(/Secure/);
      await agent.get('/staff').expect(200);
    } finally {
      await t.close();
    }
  });

  it('should make the cookies Secure at an https address and sign in through a trusted TLS proxy', async () => {
    const t = await createTestApp({
      env: { PUBLIC_URL: 'https://klar.test', TRUST_PROXY: '1' },
    });
    try {
      const viaProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
      const login = await request(t.http).get('/login').set(viaProxy).expect(200);
      const csrfCookie = setCookie(login, '__Host-klar.csrf');
      expect(csrfCookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      const signIn = await request(t.http)
        .post('/login')
        .set(viaProxy)
        .set('Cookie', cookieHeader(csrfCookie))
        .type('form')
        .send({ _csrf: csrfIn(login.text), email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(303)
        .expect('location', '/staff');
      const session = setCookie(signIn, 'klar.sid');
      expect(session).toMatch(/HttpOnly; Secure; SameSite=Lax/);
      await request(t.http)
        .get('/staff')
        .set(viaProxy)
        .set('Cookie', cookieHeader(session))
        .expect(200);
    } finally {
      await t.close();
    }
  });

  it('should not believe X-Forwarded-Proto from a proxy TRUST_PROXY does not name', async () => {
    const t = await createTestApp({ env: { PUBLIC_URL: 'https://klar.test' } });
    try {
      const viaProxy = { 'X-Forwarded-Proto': 'https' };
      const login = await request(t.http).get('/login').set(viaProxy).expect(200);
      const csrfCookie = setCookie(login, 'klar.csrf');
      const signIn = await request(t.http)
        .post('/login')
        .set(viaProxy)
        .set('Cookie', cookieHeader(csrfCookie))
        .type('form')
        .send({ _csrf: csrfIn(login.text), email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(303);
      // A Secure cookie over what is, for all Klar knows, plain http is never set.
      expect(signIn.headers['set-cookie'] ?? []).not.toContainEqual(
        expect.stringMatching(/^klar\.sid=/),
      );
    } finally {
      await t.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  it('should key the login limit on X-Forwarded-For only when TRUST_PROXY is set', async () => {
    const [trusting, untrusting] = await Promise.all([
      createTestApp({ env: { TRUST_PROXY: '1' } }),
      createTestApp(),
    ]);
    try {
      await failLoginsUntilLimited(trusting, '198.51.100.1');
      await request(trusting.http)
        .post('/api/v1/auth/token')
        .set('X-Forwarded-For', '198.51.100.1')
        .send({ email: 'someone.else@example.org', password: 'wrong-password' })
        .expect(429);
      // Another client behind the same proxy is not locked out by the first one.
      await request(trusting.http)
        .post('/api/v1/auth/token')
        .set('X-Forwarded-For', '198.51.100.2')
        .send({ email: 'someone.else@example.org', password: 'wrong-password' })
        .expect(401);

      // Without TRUST_PROXY the header is the client's own word: one limit for the peer.
      await failLoginsUntilLimited(untrusting, '198.51.100.1');
      await request(untrusting.http)
        .post('/api/v1/auth/token')
        .set('X-Forwarded-For', '198.51.100.2')
        .send({ email: 'someone.else@example.org', password: 'wrong-password' })
        .expect(429);
    } finally {
      await Promise.all([trusting.close(), untrusting.close()]);
    }
    // Two rounds of about 20 password hashes each: slow on a busy machine.
  }, 120_000);
});

describe('visitor sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should store no session for 200 visits of the login page, each with a working form', async () => {
    const before = await sessionRows(t);
    let last: request.Response | undefined;
    for (let i = 0; i < 200; i += 1) {
      last = await request(t.http).get('/login').expect(200);
      expect(last.headers['set-cookie'] ?? []).not.toContainEqual(
        expect.stringMatching(/^klar\.sid=/),
      );
    }
    expect(await sessionRows(t)).toBe(before);
    // The last visitor's form still signs in: its token came in a cookie, not a row.
    await request(t.http)
      .post('/login')
      .set('Cookie', cookieHeader(setCookie(last!, 'klar.csrf')))
      .type('form')
      .send({ _csrf: csrfIn(last!.text), email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(303)
      .expect('location', '/staff');
  });

  it("should keep a visitor's refused form for minutes, not hours, and drop it once shown", async () => {
    const agent = request.agent(t.http);
    const login = await agent.get('/login').expect(200);
    const before = await sessionRows(t);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfIn(login.text), email: ADMIN_EMAIL, password: 'wrong password' })
      .expect(303);
    const [{ minutes }] = await t.db.query<{ minutes: number }[]>(
      `SELECT extract(epoch FROM expires_at - now()) / 60 AS minutes
       FROM http_session WHERE sess->>'formState' IS NOT NULL`,
    );
    expect(await sessionRows(t)).toBe(before + 1);
    expect(Number(minutes)).toBeGreaterThan(10);
    expect(Number(minutes)).toBeLessThanOrEqual(15);
    const shown = await agent.get('/login').expect(200);
    expect(shown.text).toContain('E-mail eller adgangskode er forkert.');
    expect(await sessionRows(t)).toBe(before);
    // Signing in afterwards still works, and keeps its session for the working day.
    const again = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfIn(again.text), email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
      .expect(303)
      .expect('location', '/staff');
    const [{ hours }] = await t.db.query<{ hours: number }[]>(
      `SELECT extract(epoch FROM max(expires_at) - now()) / 3600 AS hours
       FROM http_session WHERE sess->>'userId' IS NOT NULL`,
    );
    expect(Number(hours)).toBeGreaterThan(7);
  });

  it('should sweep expired sessions away', async () => {
    const fresh = await createTestApp();
    try {
      await fresh.db.query(
        `INSERT INTO http_session (sid, sess, expires_at)
         SELECT 'expired-' || i, '{"flash":"old"}', now() - interval '1 minute'
         FROM generate_series(1, 30) AS i`,
      );
      await signedInAgent(fresh, ADMIN_EMAIL, ADMIN_PASSWORD);
      const [{ expired }] = await fresh.db.query<{ expired: number }[]>(
        `SELECT count(*)::int AS expired FROM http_session WHERE expires_at <= now()`,
      );
      expect(expired).toBe(0);
      expect(await sessionRows(fresh)).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('page sessions while the database is down', () => {
  it('should serve pages again once the database is back', async () => {
    // No mail worker: its polls would (rightly) log failures against the closed database.
    const t = await createTestApp({ env: { OUTBOX_WORKER: 'false' } });
    try {
      await t.db.destroy();
      // The first page ever asked for needs the session secret from the database.
      await request(t.http).get('/login').expect(503);
      await t.db.initialize();
      await request(t.http).get('/login').expect(200);
      await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    } finally {
      await t.close();
    }
  });
});
