import request from 'supertest';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { createTestApp, type TestApp } from './app';
import { applicationBody, Factory } from './factories';
import { dateFromToday, instantFromToday } from './dates';

describe('bad input', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let token: string;
  let volunteerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    token = (await factory.coordinator(branchCode)).token;
    volunteerId = (await factory.apply({ branchCode })).id;
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown) =>
    request(t.http)
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body as object);
  const volunteerCount = async () =>
    Number((await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM volunteer'))[0].n);

  it('should answer malformed JSON with 400', async () => {
    const res = await request(t.http)
      .post('/api/v1/applications')
      .set('content-type', 'application/json')
      .send('{"branchCode": "x",')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toEqual(expect.any(String));
  });

  it.each([
    ['a missing field', { email: undefined }, 'email', 'required', 'Enter an email address'],
    [
      'consent not given',
      { consent: false },
      'consent',
      'required',
      'Tick the box to give consent; without it we cannot process your application',
    ],
    [
      'consent as a string',
      { consent: 'true' },
      'consent',
      'invalid',
      'Tick the box to give consent; without it we cannot process your application',
    ],
    ['an unknown field', { admin: true }, 'admin', 'unknownField', 'The field admin is not known'],
    [
      'a bad postcode',
      { postcode: '12345' },
      'postcode',
      'invalidFormat',
      'The postcode must be four digits',
    ],
    [
      'an overlong name',
      { firstName: 'x'.repeat(101) },
      'firstName',
      'tooLong',
      'First name may have at most 100 characters',
    ],
    [
      'an empty motivation',
      { motivation: '   ' },
      'motivation',
      'required',
      'Write why you want to be a family friend',
    ],
    [
      'an unknown branch',
      { branchCode: 'nowhere' },
      'branchCode',
      'unknownBranch',
      'Choose a branch from the list',
    ],
    [
      'a course id that is no UUID',
      { courseId: 'abc' },
      'courseId',
      'invalidId',
      'Choose a course from the list',
    ],
    ['an unknown locale', { locale: 'de' }, 'locale', 'notAnOption', 'Choose Danish or English'],
    [
      'availability that is no list',
      { availability: 'evenings' },
      'availability',
      'notAList',
      'Choose one or more for when you can visit',
    ],
  ])(
    'should refuse an application with %s, naming the field, and store nothing',
    async (_, change, field, code, message) => {
      const before = await volunteerCount();
      const res = await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, ...change }))
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.errors).toContainEqual({ field, code, message });
      expect(await volunteerCount()).toBe(before);
    },
  );

  it('should normalise the email before storing it', async () => {
    const email = `  Mixed.Case.${Date.now()}@Example.ORG `;
    await request(t.http)
      .post('/api/v1/applications')
      .send(applicationBody({ branchCode, email }))
      .expect(202);
    await t.app.get(PublicRequestQueue).drain();
    const rows = await t.db.query<{ email: string }[]>(
      'SELECT email FROM volunteer WHERE email = $1',
      [email.trim().toLowerCase()],
    );
    expect(rows).toHaveLength(1);
  });

  it('should answer a non-UUID id with 400 naming it', async () => {
    const res = await request(t.http)
      .get('/api/v1/volunteers/not-a-uuid')
      .auth(token, { type: 'bearer' })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'id', code: 'invalidId', message: 'The id is not valid' },
    ]);
    await post('/api/v1/home-visits/42/outcome', { outcome: 'approved' }).expect(400);
  });

  it.each([
    ['no offset', '2027-03-04T17:00:00'],
    ['an impossible time', '2027-02-30T17:00:00+01:00'],
    ['a date only', '2027-03-04'],
    ['a number', 1700000000],
  ])('should refuse a home visit time with %s', async (_, scheduledAt) => {
    const res = await post(`/api/v1/volunteers/${volunteerId}/home-visits`, { scheduledAt }).expect(
      400,
    );
    expect(res.body.errors[0].field).toBe('scheduledAt');
  });

  it('should refuse an unknown outcome', async () => {
    const visit = await post(`/api/v1/volunteers/${volunteerId}/home-visits`, {
      scheduledAt: instantFromToday(100),
    }).expect(201);
    const res = await post(`/api/v1/home-visits/${visit.body.id}/outcome`, {
      outcome: 'maybe',
    }).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'outcome', code: 'notAnOption', message: 'Choose the outcome of the visit' },
    ]);
    const after = await request(t.http)
      .get(`/api/v1/volunteers/${volunteerId}`)
      .auth(token, { type: 'bearer' });
    expect(after.body.homeVisits[0].outcome).toBeNull();
  });

  it.each([
    [
      'a date in the future',
      { receivedOn: '2999-01-01', result: 'clean' },
      'receivedOn',
      'inFuture',
      'The date cannot be in the future',
    ],
    [
      'an impossible date',
      { receivedOn: '2026-02-30', result: 'clean' },
      'receivedOn',
      'invalidDate',
      'Received on must be a real date',
    ],
    [
      'a date in another format',
      { receivedOn: '01-02-2026', result: 'clean' },
      'receivedOn',
      'invalidDate',
      'Received on must be a real date',
    ],
    [
      'an unknown result',
      { receivedOn: dateFromToday(-30), result: 'fine' },
      'result',
      'notAnOption',
      "Choose the certificate's result",
    ],
    [
      'a request after receipt',
      { requestedOn: dateFromToday(-10), receivedOn: dateFromToday(-30), result: 'clean' },
      'requestedOn',
      'afterReceived',
      'The request date cannot be after the date received',
    ],
    [
      'a scan of the certificate',
      { receivedOn: dateFromToday(-30), result: 'clean', file: 'JVBERi0x' },
      'file',
      'unknownField',
      'The field file is not known',
    ],
  ])(
    'should refuse a certificate with %s and store nothing',
    async (_, body, field, code, message) => {
      const res = await post(`/api/v1/volunteers/${volunteerId}/attestations`, body).expect(400);
      expect(res.body.errors).toContainEqual({ field, code, message });
      const rows = await t.db.query('SELECT 1 FROM attestation WHERE volunteer_id = $1', [
        volunteerId,
      ]);
      expect(rows).toHaveLength(0);
    },
  );

  it.each([
    ['an unknown stage', { stage: 'ready' }, 'stage'],
    ['a limit over 500', { limit: '501' }, 'limit'],
    ['a negative offset', { offset: '-1' }, 'offset'],
    ['matchable that is no boolean', { matchable: 'yes' }, 'matchable'],
    ['an unknown parameter', { order: 'name' }, 'order'],
  ])('should refuse a volunteer list with %s', async (_, query, field) => {
    const res = await request(t.http)
      .get('/api/v1/volunteers')
      .query(query)
      .auth(token, { type: 'bearer' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('should refuse bad staff accounts and branches', async () => {
    const admin = await factory.admin();
    const create = (body: object) =>
      request(t.http).post('/api/v1/users').auth(admin, { type: 'bearer' }).send(body);
    const base = {
      email: 'new.user@test.klar',
      name: 'Ny',
      role: 'coordinator',
      branchCode,
      password: 'long-enough-pw',
    };
    expect((await create({ ...base, password: 'short' }).expect(400)).body.errors).toContainEqual({
      field: 'password',
      code: 'tooShort',
      message: 'The password must be at least 12 characters',
    });
    expect((await create({ ...base, role: 'root' }).expect(400)).body.errors[0].field).toBe('role');
    expect(
      (await create({ ...base, branchCode: undefined }).expect(400)).body.errors[0].field,
    ).toBe('branchCode');
    expect(
      (await create({ ...base, branchCode: 'nowhere' }).expect(400)).body.errors[0].field,
    ).toBe('branchCode');
    const branch = (body: object) =>
      request(t.http).post('/api/v1/branches').auth(admin, { type: 'bearer' }).send(body);
    expect((await branch({ code: 'Not A Slug', name: 'X' }).expect(400)).body.errors[0].field).toBe(
      'code',
    );
    expect(
      (await branch({ code: 'ok-code', name: 'X', postcodes: ['12'] }).expect(400)).body.errors[0]
        .field,
    ).toBe('postcodes');
    await branch({ code: branchCode, name: 'Again' }).expect(409);
  });
});
