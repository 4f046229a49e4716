import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { applicationBody, createCourse, Factory, fullCourseSessions } from './factories';
import { csrfIn, signedInAgent } from './pages';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { UnitOfWork } from '../src/database/unit-of-work';
import { dateFromToday } from './dates';

describe('input hardening', () => {
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

  const staff = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const count = async (table: string) =>
    Number((await t.db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  /** The fields an answer names, each once. */
  const fieldsOf = (res: request.Response) => [
    ...new Set((res.body as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? []),
  ];

  describe('text fields', () => {
    const session = () => fullCourseSessions(40)[0];
    const course = (overrides: Record<string, unknown>) => ({
      branchCode,
      title: 'Forberedende kursus',
      capacity: 10,
      sessions: fullCourseSessions(40),
      ...overrides,
    });

    /**
     * [what, method, path, body or query, the field the answer must name, a table that must
     * not grow]; an accepted application is first stored in public_request, so that is the
     * table a refused one must leave alone.
     */
    const nulCases: [
      string,
      'post' | 'get',
      string,
      () => Record<string, unknown>,
      string,
      string,
    ][] = [
      [
        'a first name',
        'post',
        '/api/v1/applications',
        () => applicationBody({ branchCode, firstName: 'Ma\u0000ja' }),
        'firstName',
        'public_request',
      ],
      [
        'a last name',
        'post',
        '/api/v1/applications',
        () => applicationBody({ branchCode, lastName: 'S\u0000' }),
        'lastName',
        'public_request',
      ],
      [
        'a motivation',
        'post',
        '/api/v1/applications',
        () => applicationBody({ branchCode, motivation: 'Jeg vil\u0000' }),
        'motivation',
        'public_request',
      ],
      [
        'an availability',
        'post',
        '/api/v1/applications',
        () => applicationBody({ branchCode, availability: ['x\u0000'] }),
        'availability.0',
        'public_request',
      ],
      [
        'a course title',
        'post',
        '/api/v1/courses',
        () => course({ title: 'Kursus\u0000' }),
        'title',
        'course',
      ],
      [
        'a session location',
        'post',
        '/api/v1/courses',
        () => course({ sessions: [{ ...session(), location: 'Hus\u0000' }] }),
        'sessions.0.location',
        'course',
      ],
      [
        'a branch name',
        'post',
        '/api/v1/branches',
        () => ({ code: 'nul-branch', name: 'Nul\u0000' }),
        'name',
        'branch',
      ],
      [
        'a user name',
        'post',
        '/api/v1/users',
        () => ({
          email: 'nul@test.klar',
          name: 'N\u0000',
          role: 'admin',
          password: 'a-long-password-1',
        }),
        'name',
        'staff_user',
      ],
      [
        'a login email',
        'post',
        '/api/v1/auth/token',
        () => ({ email: 'admin@test.klar\u0000', password: ADMIN_PASSWORD }),
        'email',
        'auth_token',
      ],
      ['a search', 'get', '/api/v1/volunteers', () => ({ q: 'Maja\u0000' }), 'q', 'volunteer'],
    ];

    it.each(nulCases)(
      'should refuse a NUL byte in %s with 400 naming the field and write nothing',
      async (_what, method, path, input, field, table) => {
        const admin = await factory.admin();
        const before = await count(table);
        const req =
          method === 'get'
            ? request(t.http).get(path).query(input())
            : request(t.http).post(path).send(input());
        const res = await req.auth(admin, { type: 'bearer' }).expect(400);
        expect(fieldsOf(res)).toContain(field);
        expect(await count(table)).toBe(before);
      },
    );

    it('should refuse a NUL byte in home-visit notes', async () => {
      const visit = await staff(
        request(t.http)
          .post(`/api/v1/volunteers/${volunteerId}/home-visits`)
          .send({ scheduledAt: new Date(Date.now() + 86400_000).toISOString() }),
      ).expect(201);
      const res = await staff(
        request(t.http)
          .post(`/api/v1/home-visits/${visit.body.id}/outcome`)
          .send({ outcome: 'approved', notes: 'Fint\u0000besøg' }),
      ).expect(400);
      expect(fieldsOf(res)).toEqual(['notes']);
      const [row] = await t.db.query<{ outcome: string | null }[]>(
        'SELECT outcome FROM home_visit WHERE id = $1',
        [visit.body.id],
      );
      expect(row.outcome).toBeNull();
    });

    it('should refuse a NUL byte in a page form with 400 naming the field and write nothing', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/ansog').expect(200);
      const before = await count('volunteer');
      const res = await agent
        .post('/ansog')
        .type('form')
        .send({
          ...applicationBody({ branchCode }),
          _csrf: csrfIn(form.text),
          firstName: 'Bo\u0000',
          availability: 'weekday_evening',
          languages: 'da',
          consent: 'on',
        })
        .expect(400);
      expect(res.text).toContain('Det sendte kunne ikke bruges');
      expect(res.text).toContain('Fornavn indeholder et tegn, der ikke kan gemmes');
      expect(await count('volunteer')).toBe(before);

      const login = await agent.get('/login').expect(200);
      const refused = await agent
        .post('/login')
        .type('form')
        .send({
          _csrf: csrfIn(login.text),
          email: `${ADMIN_EMAIL}\u0000`,
          password: ADMIN_PASSWORD,
        })
        .expect(400);
      expect(refused.text).toContain('E-mail indeholder et tegn, der ikke kan gemmes');
    });

    it('should refuse a line break in a name on the application page next to the field', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/ansog').expect(200);
      const before = await count('volunteer');
      await agent
        .post('/ansog')
        .type('form')
        .send({
          ...applicationBody({ branchCode }),
          _csrf: csrfIn(form.text),
          lastName: 'Sørensen\r\nBcc: x@evil.example',
          availability: 'weekday_evening',
          languages: 'da',
          consent: 'on',
        })
        .expect(303)
        .expect('location', '/ansog#form');
      const again = await agent.get('/ansog').expect(200);
      expect(again.text).toMatch(
        /id="f-apply-lastName-error">Efternavn skal stå på én linje uden linjeskift/,
      );
      expect(await count('volunteer')).toBe(before);
    });

    it.each([
      ['a first name', { firstName: 'Ma\r\nja' }, 'firstName'],
      ['a last name', { lastName: 'Sø\nrensen' }, 'lastName'],
      ['an email', { email: 'maja@example.org\r\nBcc: x@evil.example' }, 'email'],
      ['a first name (bidi override)', { firstName: 'Maja\u202Egnp.exe' }, 'firstName'],
      ['a last name (bidi isolate)', { lastName: '\u2066Sørensen\u2069' }, 'lastName'],
    ])('should refuse a line break or bidi control in %s', async (_what, overrides, field) => {
      const before = await count('volunteer');
      const res = await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, ...overrides }))
        .expect(400);
      expect(fieldsOf(res)).toEqual([field]);
      expect(await count('volunteer')).toBe(before);
    });

    it.each([
      ['a course title', () => course({ title: 'Kursus\r\nBEGIN:VEVENT' }), 'title'],
      ['a course title (bidi)', () => course({ title: 'Kursus\u202D' }), 'title'],
      [
        'a location',
        () => course({ sessions: [{ ...session(), location: 'Hus\nby' }] }),
        'sessions.0.location',
      ],
    ])(
      'should refuse a line break or bidi control in %s of a course',
      async (_what, body, field) => {
        const before = await count('course');
        const res = await staff(request(t.http).post('/api/v1/courses').send(body())).expect(400);
        expect(fieldsOf(res)).toEqual([field]);
        expect(await count('course')).toBe(before);
      },
    );

    it('should refuse a line break or bidi control in branch and user names', async () => {
      const admin = await factory.admin();
      const branch = await request(t.http)
        .post('/api/v1/branches')
        .auth(admin, { type: 'bearer' })
        .send({ code: 'crlf', name: 'Home-Start\r\nFake' })
        .expect(400);
      expect(fieldsOf(branch)).toEqual(['name']);
      const user = await request(t.http)
        .post('/api/v1/users')
        .auth(admin, { type: 'bearer' })
        .send({
          email: 'bidi@test.klar',
          name: 'Karen\u202E',
          role: 'admin',
          password: 'a-long-password-1',
        })
        .expect(400);
      expect(fieldsOf(user)).toEqual(['name']);
    });

    it('should keep the line breaks of a multi-line motivation and experience', async () => {
      const body = applicationBody({
        branchCode,
        motivation: 'Første linje.\nAnden linje.',
        experience: 'Spejderleder.\r\nBørnehave.',
      });
      await request(t.http).post('/api/v1/applications').send(body).expect(202);
      await t.app.get(PublicRequestQueue).drain();
      const [row] = await t.db.query<{ motivation: string; experience: string }[]>(
        'SELECT motivation, experience FROM volunteer WHERE email = $1',
        [body.email],
      );
      expect(row).toEqual({
        motivation: 'Første linje.\nAnden linje.',
        experience: 'Spejderleder.\r\nBørnehave.',
      });
    });
  });

  describe('JSON depth', () => {
    it('should refuse JSON nested 16,000 deep quickly, before transforming it', async () => {
      const deep = '{"a":'.repeat(16_000) + '1' + '}'.repeat(16_000);
      const started = Date.now();
      const res = await request(t.http)
        .post('/api/v1/applications')
        .set('content-type', 'application/json')
        .send(deep);
      expect([400, 413]).toContain(res.status);
      expect(res.body.message).toMatch(/32/);
      expect(Date.now() - started).toBeLessThan(1000);

      const array = '['.repeat(33) + ']'.repeat(33);
      await request(t.http)
        .post('/api/v1/applications')
        .set('content-type', 'application/json')
        .send(array)
        .expect(400);
    });

    it('should still take JSON nested 32 deep and brackets inside strings', async () => {
      const res = await request(t.http)
        .post('/api/v1/applications')
        .send(applicationBody({ branchCode, motivation: '{'.repeat(100) + '['.repeat(100) }))
        .expect(202);
      expect(res.body).toBeDefined();
    });
  });

  describe('list offsets', () => {
    it.each(['/api/v1/volunteers', '/api/v1/outbox', '/staff/volunteers', '/staff/outbox'])(
      'should refuse an offset beyond bigint on %s with 400 and the allowed range',
      async (path) => {
        const admin = path.startsWith('/staff')
          ? await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD)
          : request.agent(t.http).auth(await factory.admin(), { type: 'bearer' });
        const res = await admin
          .get(path)
          .query({ offset: '99999999999999999999' })
          .set('accept', 'application/json')
          .expect(400);
        expect(res.body.errors).toEqual([
          { field: 'offset', code: 'outOfRange', message: expect.stringMatching(/0 to 1000000/) },
        ]);
      },
    );
  });

  describe('instants and dates', () => {
    const at = (iso: string) =>
      staff(
        request(t.http)
          .post(`/api/v1/volunteers/${volunteerId}/home-visits`)
          .send({ scheduledAt: iso }),
      );

    it.each([
      '2027-03-04T17:00:00+25:00',
      '2027-03-04T17:00:00-13:30',
      '2027-03-04T17:00:00+01:60',
      '0000-03-04T17:00:00+01:00',
      '9999-03-04T17:00:00+01:00',
    ])('should refuse the implausible instant %s with 400', async (iso) => {
      const before = await count('home_visit');
      const res = await at(iso).expect(400);
      expect(fieldsOf(res)).toEqual(['scheduledAt']);
      expect(await count('home_visit')).toBe(before);
    });

    it('should refuse an implausible session time', async () => {
      const [first] = fullCourseSessions(40);
      const res = await staff(
        request(t.http)
          .post('/api/v1/courses')
          .send({
            branchCode,
            title: 'Kursus',
            capacity: 5,
            sessions: [{ ...first, startsAt: '9999-01-01T10:00:00+01:00' }],
          }),
      ).expect(400);
      expect(fieldsOf(res)).toEqual(['sessions.0.startsAt']);
    });

    it.each([
      ['1900-01-01', 'receivedOn'],
      ['0000-01-01', 'receivedOn'],
      [new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10), 'receivedOn'],
    ])('should refuse a certificate received on %s', async (receivedOn, field) => {
      const before = await count('attestation');
      const res = await staff(
        request(t.http)
          .post(`/api/v1/volunteers/${volunteerId}/attestations`)
          .send({ receivedOn, result: 'clean' }),
      ).expect(400);
      expect(fieldsOf(res)).toEqual([field]);
      expect(await count('attestation')).toBe(before);
    });

    it('should refuse a certificate requested in 1900', async () => {
      const res = await staff(
        request(t.http)
          .post(`/api/v1/volunteers/${volunteerId}/attestations`)
          .send({ requestedOn: '1900-05-01', receivedOn: dateFromToday(-30), result: 'clean' }),
      ).expect(400);
      expect(fieldsOf(res)).toEqual(['requestedOn']);
    });
  });

  describe('concurrent cancellations', () => {
    const waitlist = async (courseId: string) =>
      t.db.query<{ volunteer_id: string; status: string; waitlist_position: number | null }[]>(
        `SELECT volunteer_id, status, waitlist_position FROM booking
          WHERE course_id = $1 AND status <> 'cancelled'
          ORDER BY status, waitlist_position`,
        [courseId],
      );

    /** Booked and waitlisted positions are 1..n, and a free seat never sits beside a waitlist. */
    const expectConsistent = async (courseId: string, capacity: number) => {
      const rows = await waitlist(courseId);
      const booked = rows.filter((r) => r.status === 'booked');
      const waiting = rows.filter((r) => r.status === 'waitlisted');
      expect(booked.length).toBeLessThanOrEqual(capacity);
      if (waiting.length > 0) {
        expect(booked.length).toBe(capacity);
      }
      expect(waiting.map((r) => r.waitlist_position)).toEqual(waiting.map((_, i) => i + 1));
      return { booked, waiting };
    };

    it('should answer 10 parallel staff cancellations of booked and waitlisted volunteers with 204', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 5 });
      const volunteers = [];
      for (let i = 0; i < 14; i++) {
        const v = await factory.apply({ branchCode });
        await staff(
          request(t.http).post(`/api/v1/courses/${course.id}/bookings`).send({ volunteerId: v.id }),
        ).expect(201);
        volunteers.push(v);
      }
      // Five seats, nine waiting: cancel four seats and six waiting places at once.
      const leaving = [...volunteers.slice(0, 4), ...volunteers.slice(6, 12)];
      const answers = await Promise.all(
        leaving.map((v) =>
          staff(request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${v.id}`)),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(leaving.map(() => 204));
      const { booked, waiting } = await expectConsistent(course.id, 5);
      expect(booked.length + waiting.length).toBe(4);
    });

    it('should answer 3 parallel cancellations on personal pages with 204', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 2 });
      const volunteers = [];
      for (let i = 0; i < 5; i++) {
        const v = await factory.apply({ branchCode });
        await request(t.http)
          .post('/api/v1/me/bookings')
          .auth(v.portalToken, { type: 'bearer' })
          .send({ courseId: course.id })
          .expect(201);
        volunteers.push(v);
      }
      // Two seats and the first waiting place: each seat freed promotes someone leaving too.
      const leaving = volunteers.slice(0, 3);
      const answers = await Promise.all(
        leaving.map((v) =>
          request(t.http)
            .delete(`/api/v1/me/bookings/${course.id}`)
            .auth(v.portalToken, { type: 'bearer' }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual([204, 204, 204]);
      const { booked, waiting } = await expectConsistent(course.id, 2);
      expect(booked.map((r) => r.volunteer_id).sort()).toEqual(
        [volunteers[3].id, volunteers[4].id].sort(),
      );
      expect(waiting).toEqual([]);
    });
  });
});

describe('input hardening: retried transactions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.db.query('CREATE TABLE retry_probe (attempt int NOT NULL)');
  });
  afterAll(() => t.close());

  it.each([
    ['a deadlock', '40P01'],
    ['a serialization failure', '40001'],
  ])('should run a use case again from the start after %s', async (_what, code) => {
    await t.db.query('DELETE FROM retry_probe');
    let attempts = 0;
    const result = await t.app.get(UnitOfWork).run(async (em) => {
      attempts += 1;
      await em.query('INSERT INTO retry_probe (attempt) VALUES ($1)', [attempts]);
      if (attempts < 3) {
        await em.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}'; END $$`);
      }
      return 'done';
    });
    expect(result).toBe('done');
    // The failed attempts rolled back; only the third one's row is left.
    expect(await t.db.query('SELECT attempt FROM retry_probe')).toEqual([{ attempt: 3 }]);
  });

  it('should give up after four attempts and pass the conflict on', async () => {
    let attempts = 0;
    await expect(
      t.app.get(UnitOfWork).run(async (em) => {
        attempts += 1;
        await em.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40P01'; END $$`);
      }),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '40P01' }) });
    expect(attempts).toBe(4);
  });

  it('should not retry other errors', async () => {
    let attempts = 0;
    await expect(
      t.app.get(UnitOfWork).run(async (em) => {
        attempts += 1;
        await em.query('SELECT 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    expect(attempts).toBe(1);
  });
});

describe('input hardening: database down', () => {
  it('should answer API requests and pages with 503 while the database is unreachable', async () => {
    // No mail worker: its polls would (rightly) log failures against the closed database.
    const t = await createTestApp({ env: { OUTBOX_WORKER: 'false' } });
    try {
      await request(t.http).get('/api/v1/courses').expect(200);
      await request(t.http).get('/ansog').expect(200);
      const coordinator = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      await t.db.destroy();
      const api = await request(t.http).get('/api/v1/courses').expect(503);
      expect(api.body).toMatchObject({ statusCode: 503 });
      const login = await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
        .expect(503);
      expect(login.body.statusCode).toBe(503);
      const page = await request(t.http).get('/ansog').expect(503);
      expect(page.text).toContain('Klar kan ikke nå sin database lige nu');
      // A signed-in page fails already at reading its session.
      const staffPage = await coordinator.get('/staff').expect(503);
      expect(staffPage.text).toContain('Klar kan ikke nå sin database lige nu');
    } finally {
      await t.close();
    }
  });
});
