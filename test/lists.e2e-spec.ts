import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { instantFromToday } from './dates';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { signedInAgent } from './pages';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app';

/** The volunteer list: search by phone and folded Danish letters, sorting, the branch column. */
describe('the volunteer list', () => {
  let t: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const list = async (token: string, query: Record<string, string>) => {
    const res = await request(t.http)
      .get('/api/v1/volunteers')
      .query(query)
      .auth(token, { type: 'bearer' })
      .expect(200);
    return res.body as {
      items: { id: string; lastName: string; firstName: string; branchName: string }[];
      total: number;
    };
  };
  /** The list's column headers that sort: label, aria-sort and the decoded link. */
  const sortableHeaders = (html: string) =>
    [
      ...html.matchAll(
        /<th scope="col"(?: aria-sort="(\w+)")?><a href="([^"]+)">([^<]+)(?:<span aria-hidden="true">[^<]*<\/span>)?<\/a><\/th>/g,
      ),
    ].map(([, ariaSort, href, label]) => ({
      label,
      ariaSort: ariaSort ?? null,
      href: href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
    }));
  const lastNames = (body: { items: { lastName: string }[] }) => body.items.map((i) => i.lastName);

  it('should find a volunteer by phone number, comparing digits only', async () => {
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const wanted = await factory.apply({ branchCode, lastName: 'Telefon', phone: '+45 21436587' });
    await factory.apply({ branchCode, lastName: 'Anden', phone: '+45 87654321' });

    for (const q of ['21 43 65 87', '21436587', '+45 2143-6587', '0045 21 43 65 87', '4365']) {
      const body = await list(token, { branch: branchCode, q });
      expect({ q, ids: body.items.map((i) => i.id) }).toEqual({ q, ids: [wanted.id] });
    }
    // A name is not read as a number: nobody's phone makes "Anden" match the other.
    expect(lastNames(await list(token, { branch: branchCode, q: 'Anden' }))).toEqual(['Anden']);
  });

  it('should fold ø/oe, å/aa and æ/ae both ways, in either case', async () => {
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    await factory.apply({ branchCode, firstName: 'Astrid', lastName: 'Søndergaard' });
    await factory.apply({ branchCode, firstName: 'Åse', lastName: 'Moeller' });
    await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Ærbo' });
    await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Andersen' });

    const cases: [string, string[]][] = [
      ['Soendergaard', ['Søndergaard']],
      ['SØNDERGÅRD', ['Søndergaard']],
      ['søndergård', ['Søndergaard']],
      ['Møller', ['Moeller']],
      ['aase moe', ['Moeller']],
      ['Aerbo', ['Ærbo']],
      ['bo æ', ['Ærbo']],
    ];
    for (const [q, expected] of cases) {
      expect({ q, found: lastNames(await list(token, { branch: branchCode, q })) }).toEqual({
        q,
        found: expected,
      });
    }
    // Wildcards typed in the search are letters, not patterns.
    expect((await list(token, { branch: branchCode, q: '%' })).total).toBe(0);
  });

  it('should sort by last name then first name in Danish alphabet order, either way', async () => {
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const people: [string, string][] = [
      ['Åse', 'Ørum'],
      ['Bo', 'Andersen'],
      ['Carl', 'Åberg'],
      ['Anna', 'Andersen'],
      ['Dorte', 'Zahle'],
      ['Eva', 'Æbelø'],
      ['Finn', 'bech'],
    ];
    for (const [firstName, lastName] of people) {
      await factory.apply({ branchCode, firstName, lastName });
    }
    const expected = [
      'Anna Andersen',
      'Bo Andersen',
      'Finn bech',
      'Dorte Zahle',
      'Eva Æbelø',
      'Åse Ørum',
      'Carl Åberg',
    ];
    const names = (body: { items: { firstName: string; lastName: string }[] }) =>
      body.items.map((i) => `${i.firstName} ${i.lastName}`);
    expect(names(await list(token, { branch: branchCode, sort: 'name' }))).toEqual(expected);
    expect(names(await list(token, { branch: branchCode, sort: '-name' }))).toEqual(
      [...expected].reverse(),
    );
    // Pages follow the same order.
    const second = await list(token, { branch: branchCode, sort: 'name', limit: '3', offset: '3' });
    expect(names(second)).toEqual(expected.slice(3, 6));
    expect(second.total).toBe(expected.length);
    // A page past the end has no rows to carry the total, and still tells it.
    const past = await list(token, { branch: branchCode, sort: 'name', limit: '3', offset: '9' });
    expect(past).toEqual({ items: [], total: expected.length });
    const none = await list(token, { branch: branchCode, q: 'nobody-by-this-name' });
    expect(none).toEqual({ items: [], total: 0 });
  });

  it('should sort by the day applied and by stage in path order', async () => {
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const as = (path: string, body: object) =>
      request(t.http).post(path).auth(token, { type: 'bearer' }).send(body);
    const applied = await factory.apply({ branchCode, lastName: 'Applied' });
    const approved = await factory.apply({ branchCode, lastName: 'Approved' });
    const scheduled = await factory.apply({ branchCode, lastName: 'Scheduled' });
    const withdrawn = await factory.apply({ branchCode, lastName: 'Withdrawn' });
    // Applied in a different order than created, so the sort reads the application day.
    for (const [id, days] of [
      [applied.id, 3],
      [approved.id, 1],
      [scheduled.id, 4],
      [withdrawn.id, 2],
    ] as const) {
      await t.db.query(
        `UPDATE volunteer SET created_at = now() - make_interval(days => $2) WHERE id = $1`,
        [id, days],
      );
    }
    const past = await as(`/api/v1/volunteers/${approved.id}/home-visits`, {
      scheduledAt: instantFromToday(-1),
    }).expect(201);
    await as(`/api/v1/home-visits/${past.body.id}/outcome`, { outcome: 'approved' }).expect(200);
    await as(`/api/v1/volunteers/${scheduled.id}/home-visits`, {
      scheduledAt: instantFromToday(3),
    }).expect(201);
    await as(`/api/v1/volunteers/${withdrawn.id}/withdraw`, {}).expect(200);

    expect(lastNames(await list(token, { branch: branchCode, sort: 'appliedAt' }))).toEqual([
      'Scheduled',
      'Applied',
      'Withdrawn',
      'Approved',
    ]);
    expect(lastNames(await list(token, { branch: branchCode, sort: '-appliedAt' }))).toEqual([
      'Approved',
      'Withdrawn',
      'Applied',
      'Scheduled',
    ]);
    // Without a sort the newest application comes first, as before.
    expect(lastNames(await list(token, { branch: branchCode }))).toEqual(
      lastNames(await list(token, { branch: branchCode, sort: '-appliedAt' })),
    );
    expect(lastNames(await list(token, { branch: branchCode, sort: 'stage' }))).toEqual([
      'Applied',
      'Scheduled',
      'Approved',
      'Withdrawn',
    ]);
    expect(lastNames(await list(token, { branch: branchCode, sort: '-stage' }))).toEqual([
      'Withdrawn',
      'Approved',
      'Scheduled',
      'Applied',
    ]);
  });

  it('should answer 400 naming sort for a sort it does not know, and read an empty one as none', async () => {
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    for (const sort of ['email', '--name', 'name-', 'Name', '+name']) {
      const res = await request(t.http)
        .get('/api/v1/volunteers')
        .query({ sort })
        .auth(token, { type: 'bearer' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['sort']);
    }
    await request(t.http)
      .get('/api/v1/volunteers?sort=')
      .auth(token, { type: 'bearer' })
      .expect(200);
    const agent = await signedInAgent(
      t,
      (await factory.coordinator(branchCode)).email,
      COORDINATOR_PASSWORD,
    );
    await agent.get('/staff/volunteers?sort=email').expect(400);
  });

  it('should say a page past the end is empty and lead back to the first, not "Viser 501–500"', async () => {
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    await factory.apply({ branchCode });
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const page = await agent.get('/staff/volunteers?offset=500').expect(200);
    expect(page.text).toContain('Ingen frivillige på denne side');
    expect(page.text).toContain('href="/staff/volunteers?offset&#x3D;0"');
    expect(page.text).not.toContain('Viser 501');
  });

  it('should link the column headers to their sorts and mark the sorted one with aria-sort', async () => {
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    await factory.apply({ branchCode, firstName: 'Bo', lastName: 'Zahle' });
    await factory.apply({ branchCode, firstName: 'Anna', lastName: 'Andersen' });
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);

    const unsorted = await agent.get('/staff/volunteers?q=a').expect(200);
    expect(sortableHeaders(unsorted.text)).toEqual([
      { label: 'Navn', ariaSort: null, href: '/staff/volunteers?q=a&sort=name&offset=0' },
      { label: 'Ansøgt', ariaSort: null, href: '/staff/volunteers?q=a&sort=appliedAt&offset=0' },
      { label: 'Trin', ariaSort: null, href: '/staff/volunteers?q=a&sort=stage&offset=0' },
    ]);

    const byName = await agent.get('/staff/volunteers?q=a&sort=name').expect(200);
    expect(sortableHeaders(byName.text)[0]).toEqual({
      label: 'Navn',
      ariaSort: 'ascending',
      href: '/staff/volunteers?q=a&sort=-name&offset=0',
    });
    expect(byName.text.indexOf('Anna Andersen')).toBeLessThan(byName.text.indexOf('Bo Zahle'));
    // The filter form keeps the sort when the search changes.
    expect(byName.text).toContain('<input type="hidden" name="sort" value="name">');

    const descending = await agent.get('/staff/volunteers?q=a&sort=-name').expect(200);
    expect(sortableHeaders(descending.text)[0]).toEqual({
      label: 'Navn',
      ariaSort: 'descending',
      href: '/staff/volunteers?q=a&sort=name&offset=0',
    });
    expect(descending.text.indexOf('Bo Zahle')).toBeLessThan(
      descending.text.indexOf('Anna Andersen'),
    );
  });

  it('should show administrators a branch column and coordinators none, each only what they may see', async () => {
    const north = await factory.branch();
    const south = await factory.branch();
    const coordinator = await factory.coordinator(north);
    await factory.apply({ branchCode: north, firstName: 'Nora', lastName: 'Nordlys' });
    await factory.apply({ branchCode: south, firstName: 'Sune', lastName: 'Sydlys' });

    const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const adminPage = await admin.get('/staff/volunteers?q=lys&sort=name').expect(200);
    expect(adminPage.text).toContain('>Afdeling</th>');
    expect(adminPage.text).toMatch(
      new RegExp(`Nora Nordlys</a>.*<td[^>]*>Home-Start ${north}</td>`),
    );
    expect(adminPage.text).toMatch(
      new RegExp(`Sune Sydlys</a>.*<td[^>]*>Home-Start ${south}</td>`),
    );

    const coordinatorAgent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const own = await coordinatorAgent.get('/staff/volunteers?q=lys').expect(200);
    expect(own.text).not.toContain('Afdeling');
    expect(own.text).toContain('Nora Nordlys');
    expect(own.text).not.toContain('Sune Sydlys');

    const api = await list(await factory.admin(), { q: 'lys', sort: 'name' });
    expect(api.items.map((i) => [i.lastName, i.branchName])).toEqual([
      ['Nordlys', `Home-Start ${north}`],
      ['Sydlys', `Home-Start ${south}`],
    ]);
  });
});
