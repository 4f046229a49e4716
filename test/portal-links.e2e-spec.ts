import ical from 'node-ical';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, portalTokenIn } from './factories';
import { forgetResends, from, LIMITS_ENV, liveLinks, settle } from './links';
import { csrfIn } from './pages';

describe('personal links', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let address = 0;

  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS_ENV });
    factory = new Factory(t);
    branchCode = await factory.branch();
  });
  afterAll(() => t.close());

  /** A fresh link mailed through "Send mig mit link igen", an hour after the last. */
  const newLink = async (email: string): Promise<string> => {
    await forgetResends(t);
    const seen = t.mail.messages.length;
    await from(request(t.http).post('/api/v1/portal-links'), `198.51.100.${(address += 1)}`)
      .send({ email })
      .expect(202);
    await settle(t);
    const mail = await t.mail.waitFor(email, (m) => t.mail.messages.indexOf(m) >= seen);
    return portalTokenIn(mail.text ?? '');
  };

  /** Sets when a link was last used, days ago. */
  const usedDaysAgo = (token: string, days: number) =>
    t.db.query(
      `UPDATE portal_token SET last_used_at = now() - $2::int * interval '1 day'
        WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [token, days],
    );

  const opens = async (token: string) =>
    (await request(t.http).get('/api/v1/me').auth(token, { type: 'bearer' })).status === 200;

  it('should keep at most 5 live links, retiring the least recently used one not used in 7 days', async () => {
    const person = await factory.apply({ branchCode });
    const links = [person.portalToken];
    for (let i = 0; i < 4; i += 1) {
      links.push(await newLink(person.email));
    }
    expect(await liveLinks(t, person.id)).toBe(5);
    const [a, b, c, d] = links;
    await usedDaysAgo(a, 20);
    await usedDaysAgo(b, 30);
    await usedDaysAgo(c, 10);
    await usedDaysAgo(d, 2);

    const sixth = await newLink(person.email);
    expect(await liveLinks(t, person.id)).toBe(5);
    expect(await opens(b)).toBe(false);
    for (const token of [a, c, d, links[4], sixth]) {
      expect(await opens(token)).toBe(true);
    }
  });

  it('should retire no link used in the last 7 days, and catch up once they age', async () => {
    const person = await factory.apply({ branchCode });
    const links = [person.portalToken];
    for (let i = 0; i < 4; i += 1) {
      links.push(await newLink(person.email));
    }
    for (const [i, token] of links.entries()) {
      await usedDaysAgo(token, i + 1);
    }
    // Whoever triggers mails to the address cannot push out links the owner uses.
    const sixth = await newLink(person.email);
    expect(await liveLinks(t, person.id)).toBe(6);

    await usedDaysAgo(links[0], 8);
    await usedDaysAgo(links[1], 9);
    const seventh = await newLink(person.email);
    expect(await liveLinks(t, person.id)).toBe(5);
    expect(await opens(links[0])).toBe(false);
    expect(await opens(links[1])).toBe(false);
    for (const token of [...links.slice(2), sixth, seventh]) {
      expect(await opens(token)).toBe(true);
    }
  });

  it('should expire a link unused for PORTAL_LINK_IDLE_DAYS (180)', async () => {
    const person = await factory.apply({ branchCode });
    const recent = await newLink(person.email);
    await usedDaysAgo(person.portalToken, 181);
    await usedDaysAgo(recent, 179);
    expect(await opens(person.portalToken)).toBe(false);
    await request(t.http).get(`/v/${person.portalToken}`).expect(404);
    expect(await opens(recent)).toBe(true);
    // Using a link keeps it alive: it counts from now again.
    const [{ fresh }] = await t.db.query<{ fresh: boolean }[]>(
      `SELECT last_used_at > now() - interval '1 minute' AS fresh
         FROM portal_token WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [recent],
    );
    expect(fresh).toBe(true);
  });

  it('should keep a subscribed calendar working when links rotate or expire, until the feed is renewed', async () => {
    const coordinator = await factory.coordinator(branchCode);
    const course = await createCourse(t, coordinator.token, { branchCode });
    const person = await factory.apply({ branchCode, courseId: course.id });
    const me = await request(t.http)
      .get('/api/v1/me')
      .auth(person.portalToken, { type: 'bearer' })
      .expect(200);
    const feed = new URL(me.body.calendarUrl as string, 'http://klar.test').pathname;
    const events = async () => {
      const res = await request(t.http).get(feed).expect(200);
      return Object.values(ical.sync.parseICS(res.text)).filter((e) => e?.type === 'VEVENT');
    };
    expect(await events()).toHaveLength(4);

    // The link the feed came from expires, and five new ones push the rest out.
    await usedDaysAgo(person.portalToken, 200);
    let latest = '';
    for (let i = 0; i < 6; i += 1) {
      latest = await newLink(person.email);
    }
    expect(await opens(person.portalToken)).toBe(false);
    expect(await events()).toHaveLength(4);

    // Only renewing the feed ends it.
    await request(t.http)
      .post('/api/v1/me/calendar-link')
      .auth(latest, { type: 'bearer' })
      .expect(201);
    await request(t.http).get(feed).expect(404);
  });

  describe('"Send mig mit link igen"', () => {
    it('should offer the form on /v and mail a fresh link to a known address only', async () => {
      const person = await factory.apply({ branchCode });
      const agent = request.agent(t.http);
      const page = await agent.get('/v').expect(200);
      expect(page.text).toContain('Send mig mit link igen');
      expect(page.text).toMatch(/<form method="post" action="\/v"/);
      expect(page.text).toMatch(/<label for="[^"]+">E-mail/);

      await forgetResends(t);
      const asked = await from(agent.post('/v'), '198.51.100.200')
        .type('form')
        .send({ _csrf: csrfIn(page.text), email: person.email.toUpperCase() })
        .expect(303)
        .expect('location', '/v');
      expect(asked.headers.location).toBe('/v');
      const after = await agent.get('/v').expect(200);
      expect(after.text).toContain('har vi sendt et nyt link til den');
      await settle(t);
      const mail = await t.mail.waitFor(
        person.email,
        (m) => m.subject === 'Dit link til din personlige side',
      );
      const token = portalTokenIn(mail.text ?? '');
      expect(token).not.toBe(person.portalToken);
      await request(t.http).get(`/v/${token}`).expect(200);

      const before = t.mail.messages.length;
      await from(agent.post('/v'), '198.51.100.201')
        .type('form')
        .send({ _csrf: csrfIn(after.text), email: 'nobody.here@example.org' })
        .expect(303)
        .expect('location', '/v');
      await settle(t);
      expect(t.mail.messages.slice(before)).toEqual([]);
    });

    it('should keep the input and name the field for a bad address, in English on the switch', async () => {
      const agent = request.agent(t.http);
      await agent.get('/lang?lang=en&next=/v').expect(303);
      const page = await agent.get('/v').expect(200);
      expect(page.text).toContain('Send me my link again');
      await agent
        .post('/v')
        .type('form')
        .send({ _csrf: csrfIn(page.text), email: 'not-an-address' })
        .expect(303)
        .expect('location', '/v#link');
      const again = await agent.get('/v').expect(200);
      expect(again.text).toContain('Enter a valid email address');
      expect(again.text).toContain('value="not-an-address"');
      expect(again.text).toContain('aria-invalid="true"');
    });

    it('should answer POST /api/v1/portal-links with the same 202 for any address, and 400 naming a bad one', async () => {
      const person = await factory.apply({ branchCode });
      await forgetResends(t);
      const known = await from(request(t.http).post('/api/v1/portal-links'), '198.51.100.210')
        .send({ email: person.email })
        .expect(202);
      const unknown = await from(request(t.http).post('/api/v1/portal-links'), '198.51.100.211')
        .send({ email: 'unknown.person@example.org' })
        .expect(202);
      expect(known.body).toEqual(unknown.body);
      const bad = await request(t.http)
        .post('/api/v1/portal-links')
        .send({ email: 'nope' })
        .expect(400);
      expect(bad.body.errors).toEqual([
        { field: 'email', code: 'invalidEmail', message: expect.any(String) },
      ]);
      await settle(t);
      const mail = await t.mail.waitFor(
        person.email,
        (m) => m.subject === 'Dit link til din personlige side',
      );
      await request(t.http)
        .get('/api/v1/me')
        .auth(portalTokenIn(mail.text ?? ''), { type: 'bearer' })
        .expect(200);
    });
  });
});
