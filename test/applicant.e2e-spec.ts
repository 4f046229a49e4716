import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { createTestApp, type TestApp } from './app';
import { applicationBody, createCourse, Factory, type SessionPlan } from './factories';
import { csrfIn } from './pages';

/** Where an applicant outside every branch goes, and what the form tells them. */
describe('the applicant and the branch that will contact them', () => {
  let t: TestApp;
  let factory: Factory;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    admin = await factory.admin();
  });
  afterAll(() => t.close());

  const setBranch = (code: string, body: Record<string, unknown>) =>
    request(t.http)
      .patch(`/api/v1/branches/${code}`)
      .auth(admin, { type: 'bearer' })
      .send(body)
      .expect(200);

  const branchOf = async (email: string) => {
    await t.app.get(PublicRequestQueue).drain();
    const rows = await t.db.query<{ code: string }[]>(
      `SELECT b.code FROM volunteer v JOIN branch b ON b.id = v.branch_id WHERE v.email = $1`,
      [email],
    );
    return rows.map((r) => r.code);
  };

  const applyWithout = (overrides: Record<string, unknown>) => {
    const body: Record<string, unknown> = applicationBody(overrides);
    delete body.branchCode;
    return { body, send: () => request(t.http).post('/api/v1/applications').send(body) };
  };

  /** Posts the public form as a browser does; answers the redirect and the agent. */
  const applyOnPage = async (fields: Record<string, string>) => {
    const agent = request.agent(t.http);
    const form = await agent.get('/ansog').expect(200);
    const body = applicationBody();
    const res = await agent
      .post('/ansog')
      .type('form')
      .send({
        _csrf: csrfIn(form.text),
        firstName: body.firstName,
        lastName: body.lastName,
        email: body.email,
        phone: body.phone,
        motivation: body.motivation,
        consent: 'on',
        branchCode: '',
        ...fields,
      })
      .expect(303);
    return { agent, location: res.headers.location, email: body.email };
  };

  it('should answer 400 on postcode when no branch covers it and there is no fallback', async () => {
    const { send } = applyWithout({ postcode: '9000' });
    const res = await send().expect(400);
    expect(res.body.errors).toEqual([
      {
        field: 'postcode',
        code: 'noBranchForPostcode',
        message: 'No branch covers your postcode. Choose a branch from the list',
      },
    ]);
  });

  it('should say so in Danish next to the postcode on the form, keeping the input', async () => {
    const { agent, location } = await applyOnPage({ postcode: '9000' });
    expect(location).toBe('/ansog#form');
    const again = await agent.get('/ansog').expect(200);
    expect(again.text).toMatch(
      /id="f-apply-postcode-error">Ingen lokalafdeling dækker dit postnummer\. Vælg en lokalafdeling på listen</,
    );
    expect(again.text).toContain('value="9000"');
  });

  it('should let the postcode pick the branch when none is chosen', async () => {
    const code = await factory.branch();
    await setBranch(code, { postcodes: ['7100', '7120'] });
    const { body, send } = applyWithout({ postcode: '7120' });
    const res = await send().expect(202);
    expect(res.body.branch).toEqual({ code, name: `Home-Start ${code}` });
    expect(await branchOf(String(body.email))).toEqual([code]);
  });

  it('should send an application no branch covers to the fallback, and say so on the form', async () => {
    const national = await factory.branch();
    await setBranch(national, { name: 'Landskontoret', fallback: true });
    const { body, send } = applyWithout({ postcode: '9000' });
    const res = await send().expect(202);
    expect(res.body.branch).toEqual({ code: national, name: 'Landskontoret' });
    expect(await branchOf(String(body.email))).toEqual([national]);
    const form = await request(t.http).get('/ansog').expect(200);
    expect(form.text).toContain(
      'Dækker ingen lokalafdeling dit postnummer, kontakter Landskontoret dig.',
    );
    await setBranch(national, { fallback: false });
  });

  it('should take the chosen branch over the postcode', async () => {
    const covering = await factory.branch();
    await setBranch(covering, { postcodes: ['5000'] });
    const chosen = await factory.branch();
    const body = applicationBody({ branchCode: chosen, postcode: '5000' });
    await request(t.http).post('/api/v1/applications').send(body).expect(202);
    expect(await branchOf(String(body.email))).toEqual([chosen]);
  });

  it('should refuse an inactive branch, skip it for its postcodes and leave it off the form', async () => {
    const closed = await factory.branch();
    await setBranch(closed, { postcodes: ['4000'], name: 'Lukket Afdeling', active: false });
    const chosen = await request(t.http)
      .post('/api/v1/applications')
      .send(applicationBody({ branchCode: closed }))
      .expect(400);
    expect(chosen.body.errors[0].field).toBe('branchCode');
    const byPostcode = await applyWithout({ postcode: '4000' }).send().expect(400);
    expect(byPostcode.body.errors[0].field).toBe('postcode');
    const form = await request(t.http).get('/ansog').expect(200);
    expect(form.text).not.toContain('Lukket Afdeling');
  });

  it('should name the branch on the thanks page and in the confirmation mail', async () => {
    const code = await factory.branch();
    await setBranch(code, {
      name: 'Home-Start Aalborg',
      postcodes: ['9200'],
      contactEmail: 'aalborg@example.dk',
    });
    const { agent, location, email } = await applyOnPage({ postcode: '9200' });
    expect(location).toBe('/ansog/tak');
    const thanks = await agent.get(location).expect(200);
    expect(thanks.text).toContain('Det er <strong>Home-Start Aalborg</strong>, der kontakter dig.');
    expect(thanks.text).toContain('href="mailto:aalborg@example.dk"');
    const mail = await t.mail.waitFor(email);
    expect(mail.text).toContain('Home-Start Aalborg');
    // Another visitor (no such session) sees the general page.
    const plain = await request(t.http).get('/ansog/tak').expect(200);
    expect(plain.text).not.toContain('der kontakter dig');
  });

  it('should list every session of a course on the form, in Copenhagen time', async () => {
    const code = await factory.branch();
    // Winter and summer time both: 18:00 in Copenhagen is 17:00 or 16:00 UTC.
    const sessions: SessionPlan[] = [
      {
        startsAt: '2030-01-15T17:00:00Z',
        endsAt: '2030-01-15T20:00:00Z',
        location: 'Vestergade 1',
        topics: ['frameworks'],
      },
      {
        startsAt: '2030-06-12T16:00:00Z',
        endsAt: '2030-06-12T19:00:00Z',
        location: 'Østergade 2',
        topics: ['boundaries'],
      },
    ];
    await createCourse(t, admin, { branchCode: code, title: 'Vinter og sommer', sessions });
    const form = await request(t.http).get('/ansog').expect(200);
    const listed = form.text.slice(form.text.indexOf('Vinter og sommer'));
    expect(listed).toMatch(/15\. jan\. 2030.*18\.00–21\.00, Vestergade 1/);
    expect(listed).toMatch(/12\. jun\. 2030.*18\.00–21\.00, Østergade 2/);
  });
});
