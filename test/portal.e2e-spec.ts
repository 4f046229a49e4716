import request from 'supertest';
import { PortalLinks } from '../src/portal/portal-links';
import { createTestApp, type TestApp } from './app';
import { Factory } from './factories';
import { csrfIn } from './pages';

/** Rows in every table of the schema, by table: a GET may not change any count. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await t.db.query<{ name: string }[]>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [{ n }] = await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(n);
  }
  return counts;
}

describe('the volunteer portal', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
  });
  afterAll(() => t.close());

  const me = (portalToken: string) =>
    request(t.http).get('/api/v1/me').auth(portalToken, { type: 'bearer' }).expect(200);

  it('should create no rows when the personal page or /api/v1/me is read', async () => {
    const volunteer = await factory.apply({ branchCode });
    // A second link, minted as a mail would, so a link other than the first is read too.
    const second = await t.db.transaction((em) => t.app.get(PortalLinks).mint(em, volunteer.id));
    const before = await rowCounts(t);
    for (const token of [volunteer.portalToken, second]) {
      await request(t.http).get(`/v/${token}`).expect(200);
      const body = (await me(token)).body;
      expect(body.calendarUrl).toMatch(/^\/calendar\/[A-Za-z0-9_-]+\.ics$/);
      await request(t.http).get(body.calendarUrl).expect(200);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it('should offer a calendar link on a personal link whose feed another link renewed, and keep both', async () => {
    const volunteer = await factory.apply({ branchCode });
    const other = await t.db.transaction((em) => t.app.get(PortalLinks).mint(em, volunteer.id));
    const renewed = await request(t.http)
      .post('/api/v1/me/calendar-link')
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(201);
    await request(t.http).get(renewed.body.calendarUrl).expect(200);

    expect((await me(other)).body.calendarUrl).toBeNull();
    const page = await request(t.http).get(`/v/${other}`).expect(200);
    expect(page.text).toContain('Lav kalenderlink');
    expect(page.text).not.toContain('Abonnér på kalender');

    // Making one on the page keeps the other link's calendar link alive: nothing is renewed.
    const agent = request.agent(t.http);
    const form = await agent.get(`/v/${other}`).expect(200);
    await agent
      .post(`/v/${other}/calendar`)
      .type('form')
      .send({ _csrf: csrfIn(form.text) })
      .expect(303);
    const made = (await me(other)).body.calendarUrl as string;
    expect(made).toMatch(/^\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    expect(made).not.toBe(renewed.body.calendarUrl);
    await request(t.http).get(made).expect(200);
    await request(t.http).get(renewed.body.calendarUrl).expect(200);

    // The same through the API, for a third link: made, not renewed; asked again, the same.
    const third = await t.db.transaction((em) => t.app.get(PortalLinks).mint(em, volunteer.id));
    await request(t.http)
      .post('/api/v1/me/calendar-link')
      .auth(volunteer.portalToken, { type: 'bearer' })
      .expect(201);
    expect((await me(third)).body.calendarUrl).toBeNull();
    const opened = await request(t.http)
      .post('/api/v1/me/calendar')
      .auth(third, { type: 'bearer' })
      .expect(201);
    expect((await me(third)).body.calendarUrl).toBe(opened.body.calendarUrl);
    await request(t.http)
      .post('/api/v1/me/calendar')
      .auth(third, { type: 'bearer' })
      .expect(201, { calendarUrl: opened.body.calendarUrl });
    const current = (await me(volunteer.portalToken)).body.calendarUrl as string;
    await request(t.http).get(current).expect(200);
    await request(t.http).get(opened.body.calendarUrl).expect(200);
  });
});
