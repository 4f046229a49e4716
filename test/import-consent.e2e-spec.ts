import request from 'supertest';
import { CONSENT_TEXT, CONSENT_VERSION } from '../src/privacy/consent';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';

/**
 * People a branch imports from its spreadsheet (issue 15) have not consented in Klar:
 * the import writes them with `consent_source = 'import'` and no consent, as these tests
 * do with SQL. Their personal page asks first; a course completed before Klar meets the
 * course requirement.
 */
describe('Imported people: consent on the personal page, and a course completed before Klar', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });

  afterAll(async () => {
    await t.close();
  });

  /** An applicant turned into an imported person, as the import writes one. */
  const imported = async () => {
    const v = await factory.apply({ branchCode });
    await t.db.query(
      `UPDATE volunteer SET consent_source = 'import', consent_at = NULL, consent_text_version = NULL
        WHERE id = $1`,
      [v.id],
    );
    return v;
  };
  const detail = async (id: string) =>
    (
      await request(t.http)
        .get(`/api/v1/volunteers/${id}`)
        .auth(coordinator.token, { type: 'bearer' })
        .expect(200)
    ).body as {
      consent: { givenAt: string | null; textVersion: string | null; source: string };
      readiness: { requirements: { key: string; met: boolean; detail: Record<string, unknown> }[] };
    };
  const consent = (portalToken: string, body: object) =>
    request(t.http).post('/api/v1/me/consent').auth(portalToken, { type: 'bearer' }).send(body);
  const consentEvents = async (id: string) =>
    (
      await t.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_event
          WHERE volunteer_id = $1 AND action = 'volunteer.consented'`,
        [id],
      )
    )[0].n;

  it('should show no consent for an imported person until they give it, then keep the first', async () => {
    const v = await imported();
    expect((await detail(v.id)).consent).toEqual({
      givenAt: null,
      textVersion: null,
      source: 'import',
    });
    const me = await request(t.http)
      .get('/api/v1/me')
      .auth(v.portalToken, { type: 'bearer' })
      .expect(200);
    expect(me.body.consent).toEqual({ givenAt: null, textVersion: null, source: 'import' });

    const stale = await consent(v.portalToken, { textVersion: 'v1' }).expect(400);
    expect(stale.body.errors).toEqual([
      {
        field: 'textVersion',
        code: 'invalid',
        message: 'The consent text has changed; read the new text above and consent again',
      },
    ]);
    const missing = await consent(v.portalToken, {}).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'textVersion' })]);
    expect((await detail(v.id)).consent.givenAt).toBeNull();

    const before = Date.now();
    const given = await consent(v.portalToken, { textVersion: CONSENT_VERSION }).expect(201);
    expect(given.body).toEqual({
      givenAt: expect.any(String),
      textVersion: CONSENT_VERSION,
      source: 'import',
    });
    expect(new Date(given.body.givenAt as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await detail(v.id)).consent).toEqual(given.body);
    expect(await consentEvents(v.id)).toBe(1);

    // Given once: asking again answers the consent as first given, and logs nothing more.
    const again = await consent(v.portalToken, { textVersion: CONSENT_VERSION }).expect(201);
    expect(again.body).toEqual(given.body);
    expect(await consentEvents(v.id)).toBe(1);
    await request(t.http)
      .post('/api/v1/me/consent')
      .send({ textVersion: CONSENT_VERSION })
      .expect(401);
  });

  it('should answer an applicant, who consented on the form, with that consent', async () => {
    const v = await factory.apply({ branchCode });
    const res = await consent(v.portalToken, { textVersion: CONSENT_VERSION }).expect(201);
    expect(res.body).toMatchObject({ textVersion: CONSENT_VERSION, source: 'application' });
    expect(await consentEvents(v.id)).toBe(0);
  });

  it('should show the privacy notice and the consent form before every personal page, and the page after', async () => {
    const v = await imported();
    const agent = request.agent(t.http);
    const gate = `/v/${v.portalToken}/samtykke`;
    await agent.get(`/v/${v.portalToken}`).expect(303).expect('location', gate);
    const anyCourse = '00000000-0000-4000-8000-000000000000';
    await agent
      .get(`/v/${v.portalToken}/bookings/${anyCourse}/cancel`)
      .expect(303)
      .expect('location', gate);
    await agent
      .get(`/v/${v.portalToken}/kursusbevis/${anyCourse}`)
      .expect(303)
      .expect('location', gate);

    const page = await agent.get(gate).expect(200);
    expect(page.text).toContain(CONSENT_TEXT.da);
    expect(page.text).toContain('Hvem har ansvaret'); // the privacy notice
    expect(page.text).toContain('Jeg giver mit samtykke');
    expect(page.text).not.toContain('Dine trin');
    // The rights do not wait on consent.
    await agent.get(`/v/${v.portalToken}/slet-mig`).expect(200);

    // A form of the personal page posted anyway does nothing but lead to the question.
    const posted = await agent
      .post(`/v/${v.portalToken}/calendar-link`)
      .type('form')
      .send({ _csrf: csrfIn(page.text) })
      .expect(303);
    expect(posted.headers.location).toBe(gate);

    // A text changed since the page was shown: back to the question, with the message.
    const refused = await agent
      .post(gate)
      .type('form')
      .send({ _csrf: csrfIn(page.text), textVersion: 'v1' })
      .expect(303);
    expect(refused.headers.location).toBe(gate);
    const withError = await agent.get(gate).expect(200);
    expect(withError.text).toContain('Samtykketeksten er ændret');
    expect((await detail(v.id)).consent.givenAt).toBeNull();

    const done = await agent
      .post(gate)
      .type('form')
      .send({ _csrf: csrfIn(withError.text), textVersion: CONSENT_VERSION })
      .expect(303);
    expect(done.headers.location).toBe(`/v/${v.portalToken}`);
    const portal = await agent.get(`/v/${v.portalToken}`).expect(200);
    expect(portal.text).toContain('Tak for dit samtykke.');
    expect(portal.text).toContain('Dine trin');
    await agent.get(gate).expect(303).expect('location', `/v/${v.portalToken}`);
    expect((await detail(v.id)).consent).toMatchObject({
      givenAt: expect.any(String),
      textVersion: CONSENT_VERSION,
      source: 'import',
    });
    expect(await consentEvents(v.id)).toBe(1);
  });

  it('should say on the staff record that an imported person has not consented yet', async () => {
    const v = await imported();
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const record = await agent.get(`/staff/volunteers/${v.id}`).expect(200);
    expect(record.text).toContain('ikke givet endnu (importeret)');
  });

  it('should meet the course with a course completed before Klar, on the record, the page, the export', async () => {
    const v = await imported();
    await t.db.query(
      `INSERT INTO prior_course_completion (volunteer_id, completed_on, hours) VALUES ($1, '2024-05-30', 20)`,
      [v.id],
    );
    const course = (await detail(v.id)).readiness.requirements.find((r) => r.key === 'course');
    expect(course).toMatchObject({
      met: true,
      detail: { hoursAttended: 0, prior: { completedOn: '2024-05-30' } },
    });

    await consent(v.portalToken, { textVersion: CONSENT_VERSION }).expect(201);
    const portal = await request(t.http).get(`/v/${v.portalToken}`).expect(200);
    expect(portal.text).toContain('Kurset gennemført før Klar den 30. maj 2024.');
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const record = await agent.get(`/staff/volunteers/${v.id}`).expect(200);
    expect(record.text).toContain('Kurset gennemført før Klar den');

    const exported = await request(t.http)
      .get('/api/v1/me/export')
      .auth(v.portalToken, { type: 'bearer' })
      .expect(200);
    expect(exported.body.priorCourseCompletion).toMatchObject({
      completedOn: '2024-05-30',
      hours: 20,
    });

    // Erased: the day stays for the year's figures, the hours go.
    await request(t.http)
      .delete(`/api/v1/volunteers/${v.id}`)
      .auth(coordinator.token, { type: 'bearer' })
      .expect(204);
    const rows = await t.db.query<{ completed_on: string; hours: string | null }[]>(
      `SELECT completed_on::text, hours FROM prior_course_completion WHERE volunteer_id = $1`,
      [v.id],
    );
    expect(rows).toEqual([{ completed_on: '2024-05-30', hours: null }]);
  });

  it('should refuse the JSON routes that use the record with 403 consent_required until consent, leaving the rights open', async () => {
    const v = await imported();
    const course = await createCourse(t, coordinator.token, { branchCode });
    const me = (method: 'get' | 'post' | 'delete', path: string) =>
      request(t.http)[method](`/api/v1/me${path}`).auth(v.portalToken, { type: 'bearer' });
    const anyId = '00000000-0000-4000-8000-000000000000';
    const refused = {
      statusCode: 403,
      error: 'Forbidden',
      message:
        'Giv først dit samtykke på din personlige side. / Give your consent on your personal page first.',
      code: 'consent_required',
    };
    const gated = [
      me('post', '/bookings').send({ courseId: course.id }),
      me('delete', `/bookings/${course.id}`),
      me('post', '/calendar'),
      me('post', '/calendar-link'),
      me('get', '/materials'),
      me('get', `/materials/${anyId}/file`),
      me('post', `/materials/${anyId}/confirm`),
      me('get', '/evaluations'),
      me('post', '/evaluations').send({ courseId: course.id, answers: {} }),
      me('get', `/certificates/${course.id}`),
    ];
    for (const req of gated) {
      const res = await req;
      expect({ url: req.url, status: res.status, body: res.body }).toEqual({
        url: req.url,
        status: 403,
        body: refused,
      });
    }
    const rows = async (table: string) =>
      (
        await t.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${table} WHERE volunteer_id = $1`,
          [v.id],
        )
      )[0].n;
    expect(await rows('booking')).toBe(0);
    // The calendar link: one feed row a volunteer, its version raised by each renewal.
    const feedVersion = async () =>
      (
        await t.db.query<{ v: number | null }[]>(
          'SELECT max(version)::int AS v FROM calendar_feed WHERE volunteer_id = $1',
          [v.id],
        )
      )[0].v ?? 0;
    const feeds = await feedVersion();

    // Open without consent: reading the own record, the export, and consenting.
    await me('get', '').expect(200);
    await me('get', '/export').expect(200);
    await consent(v.portalToken, { textVersion: CONSENT_VERSION }).expect(201);

    // After consent the same routes answer.
    const booked = await me('post', '/bookings').send({ courseId: course.id }).expect(201);
    expect(booked.body).toMatchObject({ status: 'booked' });
    expect(await rows('booking')).toBe(1);
    await me('post', '/calendar-link').expect(201);
    expect(await feedVersion()).toBeGreaterThan(feeds);
    await me('get', '/materials').expect(200);
    await me('get', '/evaluations').expect(200);

    // Withdrawing and asking for erasure never wait on consent.
    const other = await imported();
    const asOther = (path: string) =>
      request(t.http).post(`/api/v1/me${path}`).auth(other.portalToken, { type: 'bearer' });
    await asOther('/calendar-link').expect(403);
    await asOther('/withdraw').expect(200);
    await asOther('/erasure-request').expect(202);
  });
});
