import { DateTime } from 'luxon';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions } from './factories';

const copenhagenDaysAgo = (days: number) =>
  DateTime.now().setZone('Europe/Copenhagen').minus({ days }).toISODate()!;

describe('courses', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    token = (await factory.coordinator(branchCode)).token;
  });
  afterAll(() => t.close());

  const staff = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const book = (courseId: string, volunteerId: string) =>
    staff(request(t.http).post(`/api/v1/courses/${courseId}/bookings`).send({ volunteerId }));
  /** The mails queued for an address, oldest first. */
  const queuedTo = (email: string) =>
    t.db.query<{ template: string; key: string }[]>(
      'SELECT template, dedupe_key AS key FROM outbox_message WHERE recipient = $1 ORDER BY created_at, id',
      [email],
    );
  const mailsTo = async (email: string) => (await queuedTo(email)).map((m) => m.template);
  const participants = async (courseId: string) =>
    (await staff(request(t.http).get(`/api/v1/courses/${courseId}/participants`)).expect(200))
      .body as {
      volunteerId: string;
      status: string;
      position: number | null;
    }[];

  describe('creating', () => {
    it('should derive hours from the times and flag a course that misses the curriculum', async () => {
      const full = await createCourse(t, token, { branchCode });
      expect(full.sessions.map((s) => s.hours)).toEqual([5, 5, 5, 5]);
      expect(full.warnings).toEqual([]);

      const short = await createCourse(t, token, {
        branchCode,
        sessions: fullCourseSessions(30).slice(0, 2),
      });
      expect(short.warnings.map((w) => w.code)).toEqual([
        'missing_mandatory_topics',
        'too_few_hours',
      ]);
    });

    it.each([
      [
        'an end before the start',
        (s: ReturnType<typeof fullCourseSessions>) => [{ ...s[0], endsAt: s[0].startsAt }],
        'sessions.0.endsAt',
      ],
      [
        'a session over 12 hours',
        (s: ReturnType<typeof fullCourseSessions>) => [
          { ...s[0], endsAt: new Date(Date.parse(s[0].startsAt) + 13 * 3600_000).toISOString() },
        ],
        'sessions.0.endsAt',
      ],
      [
        'overlapping sessions',
        (s: ReturnType<typeof fullCourseSessions>) => [
          s[0],
          { ...s[1], startsAt: s[0].startsAt, endsAt: s[0].endsAt },
        ],
        'sessions.1.startsAt',
      ],
      [
        'an unknown topic',
        (s: ReturnType<typeof fullCourseSessions>) => [{ ...s[0], topics: ['knitting'] }],
        'sessions.0.topics',
      ],
      [
        'no topics',
        (s: ReturnType<typeof fullCourseSessions>) => [{ ...s[0], topics: [] }],
        'sessions.0.topics',
      ],
      ['no sessions', () => [], 'sessions'],
    ])('should refuse %s with 400 and save nothing', async (_, sessions, field) => {
      const before = (await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM course'))[0].n;
      const res = await staff(request(t.http).post('/api/v1/courses'))
        .send({ branchCode, title: 'X', capacity: 10, sessions: sessions(fullCourseSessions(10)) })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM course'))[0].n).toBe(
        before,
      );
    });

    it('should refuse a capacity under 1 and a course in another branch', async () => {
      const zero = await staff(request(t.http).post('/api/v1/courses'))
        .send({ branchCode, title: 'X', capacity: 0, sessions: fullCourseSessions(10) })
        .expect(400);
      expect(zero.body.errors).toContainEqual({
        field: 'capacity',
        code: 'tooSmall',
        message: 'Capacity must be at least 1',
      });
      const other = await factory.branch();
      await staff(request(t.http).post('/api/v1/courses'))
        .send({ branchCode: other, title: 'X', capacity: 5, sessions: fullCourseSessions(10) })
        .expect(403);
    });

    it('should list only upcoming courses publicly, with seats left', async () => {
      const upcoming = await createCourse(t, token, { branchCode, capacity: 3 });
      const past = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-20) });
      const volunteer = await factory.apply({ branchCode });
      await book(upcoming.id, volunteer.id).expect(201);
      const list = await request(t.http)
        .get('/api/v1/courses')
        .query({ branch: branchCode })
        .expect(200);
      const ids = list.body.map((c: { id: string }) => c.id);
      expect(ids).toContain(upcoming.id);
      expect(ids).not.toContain(past.id);
      expect(list.body.find((c: { id: string }) => c.id === upcoming.id)).toMatchObject({
        branchCode,
        capacity: 3,
        seatsLeft: 2,
      });
    });
  });

  describe('booking', () => {
    it('should book up to capacity, then waitlist in order, and promote on cancellation', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 2 });
      const people = await Promise.all([1, 2, 3, 4].map(() => factory.apply({ branchCode })));
      const answers = [];
      for (const p of people) {
        answers.push((await book(course.id, p.id).expect(201)).body);
      }
      expect(answers).toEqual([
        { status: 'booked', position: null },
        { status: 'booked', position: null },
        { status: 'waitlisted', position: 1 },
        { status: 'waitlisted', position: 2 },
      ]);
      await book(course.id, people[0].id).expect(409);

      await staff(
        request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${people[0].id}`),
      ).expect(204);
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: people[1].id, status: 'booked', position: null }),
        expect.objectContaining({ volunteerId: people[2].id, status: 'booked', position: null }),
        expect.objectContaining({ volunteerId: people[3].id, status: 'waitlisted', position: 1 }),
      ]);
      expect(await mailsTo(people[2].email)).toEqual([
        'application-received',
        'waitlisted',
        'promoted',
      ]);
      expect(await mailsTo(people[3].email)).not.toContain('promoted');
      await staff(
        request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${people[0].id}`),
      ).expect(404);
    });

    it('should close the gap when a waitlisted volunteer leaves', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 1 });
      const people = await Promise.all([1, 2, 3, 4].map(() => factory.apply({ branchCode })));
      for (const p of people) {
        await book(course.id, p.id).expect(201);
      }
      await request(t.http)
        .delete(`/api/v1/me/bookings/${course.id}`)
        .auth(people[2].portalToken, { type: 'bearer' })
        .expect(204);
      expect((await participants(course.id)).map((p) => [p.volunteerId, p.position])).toEqual([
        [people[0].id, null],
        [people[1].id, 1],
        [people[3].id, 2],
      ]);
    });

    it('should never book more than capacity under 50 concurrent bookings', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 10 });
      // One after the other: what runs concurrently here is the booking, not the hundred
      // mails that 50 applications send, which a busy machine delivers slowly.
      const people = [];
      for (let i = 0; i < 50; i += 1) {
        people.push(await factory.apply({ branchCode }));
      }
      const answers = await Promise.all(people.map((p) => book(course.id, p.id)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
      const list = await participants(course.id);
      expect(list.filter((p) => p.status === 'booked')).toHaveLength(10);
      const positions = list.filter((p) => p.status === 'waitlisted').map((p) => p.position);
      expect(positions.sort((a, b) => a! - b!)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    });

    it('should let a volunteer book ahead but not a course that has started, which a coordinator may', async () => {
      const upcoming = await createCourse(t, token, { branchCode });
      const held = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-10) });
      const volunteer = await factory.apply({ branchCode });
      const own = (courseId: string) =>
        request(t.http)
          .post('/api/v1/me/bookings')
          .auth(volunteer.portalToken, { type: 'bearer' })
          .send({ courseId });
      expect((await own(upcoming.id).expect(201)).body).toEqual({
        status: 'booked',
        position: null,
      });
      await own(upcoming.id).expect(409);
      const started = await own(held.id).expect(409);
      expect(started.body.message).toBe(
        'Kurset er allerede begyndt. / The course has already started.',
      );
      // Booked on the upcoming course, so registering the held one is a confirmed second course.
      await staff(request(t.http).post(`/api/v1/courses/${held.id}/bookings`))
        .send({ volunteerId: volunteer.id, second: true })
        .expect(201);
      const me = await request(t.http)
        .get('/api/v1/me')
        .auth(volunteer.portalToken, { type: 'bearer' })
        .expect(200);
      expect(me.body.bookings).toEqual([
        { courseId: upcoming.id, status: 'booked', position: null },
        { courseId: held.id, status: 'booked', position: null },
      ]);
      expect(me.body.calendarUrl).toMatch(/^\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    });

    it('should refuse a withdrawn volunteer and free their seat on withdrawal', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 1 });
      const [first, second] = await Promise.all([
        factory.apply({ branchCode }),
        factory.apply({ branchCode }),
      ]);
      await book(course.id, first.id).expect(201);
      await book(course.id, second.id).expect(201);
      await staff(request(t.http).post(`/api/v1/volunteers/${first.id}/withdraw`)).expect(200);
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: second.id, status: 'booked' }),
      ]);
      // Closing the application cancels the booking in the same transaction, and the
      // volunteer who moved up is told.
      expect(await mailsTo(second.email)).toEqual([
        'application-received',
        'waitlisted',
        'promoted',
      ]);
      const refused = await book(course.id, first.id).expect(409);
      expect(refused.body.message).toBe(
        'Ansøgningen er trukket tilbage; der kan ikke tilmeldes kurser. / The application is withdrawn; no course can be booked.',
      );
    });

    it("should answer 404 for another branch's course or volunteer", async () => {
      const otherBranch = await factory.branch();
      const otherToken = (await factory.coordinator(otherBranch)).token;
      const course = await createCourse(t, token, { branchCode });
      const volunteer = await factory.apply({ branchCode });
      await request(t.http)
        .post(`/api/v1/courses/${course.id}/bookings`)
        .auth(otherToken, { type: 'bearer' })
        .send({ volunteerId: volunteer.id })
        .expect(404);
      await request(t.http)
        .get(`/api/v1/courses/${course.id}/participants`)
        .auth(otherToken, { type: 'bearer' })
        .expect(404);
    });

    it('should book the course chosen on the application, or refuse the whole application', async () => {
      const course = await createCourse(t, token, { branchCode });
      const applicant = await factory.apply({ branchCode, courseId: course.id });
      expect((await participants(course.id)).map((p) => p.volunteerId)).toEqual([applicant.id]);

      const held = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-3) });
      const email = `late.${Date.now()}@example.org`;
      const res = await request(t.http)
        .post('/api/v1/applications')
        .send({
          ...(await import('./factories')).applicationBody({
            branchCode,
            email,
            courseId: held.id,
          }),
        })
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          field: 'courseId',
          code: 'courseNotBookable',
          message: 'The course has already started.',
        },
      ]);
      expect(await t.db.query('SELECT 1 FROM volunteer WHERE email = $1', [email])).toHaveLength(0);
    });
  });

  describe('attendance and completion', () => {
    it('should refuse attendance before the session starts', async () => {
      const course = await createCourse(t, token, { branchCode });
      const volunteer = await factory.apply({ branchCode });
      await book(course.id, volunteer.id).expect(201);
      const res = await staff(
        request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`),
      )
        .send({ records: [{ volunteerId: volunteer.id, present: true }] })
        .expect(409);
      expect(res.body.message).toBe(
        'Fremmøde kan registreres, når kursusgangen er begyndt. / Attendance can be recorded once the session has started.',
      );
    });

    it('should make a volunteer matchable once the last requirement is met, counting a made-up session', async () => {
      const first = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-30) });
      const second = await createCourse(t, token, {
        branchCode,
        sessions: fullCourseSessions(-10),
      });
      const volunteer = await factory.apply({ branchCode });
      const other = await factory.apply({ branchCode });
      await book(first.id, volunteer.id).expect(201);
      await book(first.id, other.id).expect(201);

      const visit = await staff(
        request(t.http).post(`/api/v1/volunteers/${volunteer.id}/home-visits`),
      )
        .send({ scheduledAt: DateTime.now().minus({ days: 55 }).toISO() })
        .expect(201);
      await staff(request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`))
        .send({ outcome: 'approved' })
        .expect(200);
      await staff(request(t.http).post(`/api/v1/volunteers/${volunteer.id}/attestations`))
        .send({ receivedOn: copenhagenDaysAgo(41), result: 'clean' })
        .expect(201);

      const take = (sessionId: string, present: boolean) =>
        staff(request(t.http).put(`/api/v1/sessions/${sessionId}/attendance`)).send({
          records: [
            { volunteerId: volunteer.id, present },
            { volunteerId: other.id, present: true },
          ],
        });
      // Sessions 1-3 of the first course; session 4 missed and made up in the second course.
      for (const session of first.sessions.slice(0, 3)) {
        await take(session.id, true).expect(200);
      }
      const missed = await take(first.sessions[3].id, false).expect(200);
      expect(missed.body.records).toContainEqual({ volunteerId: volunteer.id, present: false });
      await take(first.sessions[0].id, true).expect(200); // sent twice: nothing changes

      const before = await staff(request(t.http).get(`/api/v1/volunteers/${volunteer.id}`)).expect(
        200,
      );
      expect(before.body.readiness.requirements[2]).toEqual({
        key: 'course',
        met: false,
        detail: { hoursAttended: 15, hoursRequired: 20, missingTopics: ['child_safety'] },
      });
      expect(await mailsTo(volunteer.email)).not.toContain('matchable');

      await staff(request(t.http).put(`/api/v1/sessions/${second.sessions[3].id}/attendance`))
        .send({ records: [{ volunteerId: volunteer.id, present: true }] })
        .expect(200);
      const after = await staff(request(t.http).get(`/api/v1/volunteers/${volunteer.id}`)).expect(
        200,
      );
      expect(after.body.stage).toBe('matchable');
      expect(after.body.readiness.matchable).toBe(true);
      expect(after.body.readiness.matchableSince).toEqual(expect.any(String));
      expect(after.body.readiness.requirements[2].detail).toEqual({
        hoursAttended: 20,
        hoursRequired: 20,
        missingTopics: [],
      });
      expect(await mailsTo(volunteer.email)).toContain('matchable');
      const list = await staff(
        request(t.http).get('/api/v1/volunteers').query({ matchable: 'true' }),
      ).expect(200);
      expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([volunteer.id]);

      // A certificate that runs out takes the mark away again, by the nightly refresh.
      await t.db.query(
        `UPDATE attestation SET received_on = received_on - interval '25 months' WHERE volunteer_id = $1`,
        [volunteer.id],
      );
      const { ReadinessService } = await import('../src/readiness/readiness.service');
      expect(await t.app.get(ReadinessService).refreshLapsed()).toMatchObject({ moved: 1 });
      const lapsed = await staff(request(t.http).get(`/api/v1/volunteers/${volunteer.id}`)).expect(
        200,
      );
      expect(lapsed.body).toMatchObject({
        stage: 'approved',
        readiness: { matchable: false, matchableSince: null },
      });
      expect(await mailsTo(volunteer.email)).toContain('no-longer-matchable');
      const [lapseMail] = await t.db.query<{ text_body: string }[]>(
        `SELECT text_body FROM outbox_message
          WHERE template = 'no-longer-matchable' AND recipient = $1`,
        [volunteer.email],
      );
      expect(lapseMail.text_body).toContain('børneattesten er udløbet');
    });

    it('should refuse attendance for a volunteer with no booking in the branch, and a duplicate record', async () => {
      const course = await createCourse(t, token, { branchCode, sessions: fullCourseSessions(-5) });
      const unbooked = await factory.apply({ branchCode });
      await staff(request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`))
        .send({ records: [{ volunteerId: unbooked.id, present: true }] })
        .expect(409);
      await book(course.id, unbooked.id).expect(201);
      const twice = await staff(
        request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`),
      )
        .send({
          records: [
            { volunteerId: unbooked.id, present: true },
            { volunteerId: unbooked.id, present: false },
          ],
        })
        .expect(400);
      expect(twice.body.errors).toEqual([
        {
          field: 'records.1.volunteerId',
          code: 'duplicate',
          message: 'This volunteer appears twice.',
        },
      ]);
      const stranger = await staff(
        request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`),
      )
        .send({ records: [{ volunteerId: '00000000-0000-4000-8000-000000000000', present: true }] })
        .expect(400);
      expect(stranger.body.errors[0].field).toBe('records.0.volunteerId');
    });
  });

  describe('changing sessions and the curriculum', () => {
    it('should raise the sequence and announce a changed or cancelled session', async () => {
      const course = await createCourse(t, token, { branchCode, capacity: 1 });
      const sessionId = course.sessions[1].id;
      const [seated, waiting] = await Promise.all([1, 2].map(() => factory.apply({ branchCode })));
      await book(course.id, seated.id).expect(201);
      await book(course.id, waiting.id).expect(201);
      const sessionMailKeys = async (email: string) =>
        (await queuedTo(email)).map((m) => m.key).filter((key) => key.startsWith('session-'));
      const moved = await staff(request(t.http).put(`/api/v1/sessions/${sessionId}`))
        .send({ location: 'Kulturhuset, sal 2' })
        .expect(200);
      expect(moved.body.location).toBe('Kulturhuset, sal 2');
      expect(await sessionMailKeys(seated.email)).toEqual([
        `session-changed:${sessionId}:1:${seated.id}`,
      ]);
      const overlap = await staff(request(t.http).put(`/api/v1/sessions/${sessionId}`))
        .send({
          startsAt: course.sessions[0].startsAt,
          endsAt: new Date(Date.parse(course.sessions[0].startsAt) + 3600_000).toISOString(),
        })
        .expect(400);
      expect(overlap.body.errors[0].field).toBe('startsAt');
      await staff(request(t.http).post(`/api/v1/sessions/${sessionId}/cancel`)).expect(200);
      expect(await sessionMailKeys(seated.email)).toEqual([
        `session-changed:${sessionId}:1:${seated.id}`,
        `session-cancelled:${sessionId}:2:${seated.id}`,
      ]);
      // A waitlist place is no seat: its holder hears of the course only once promoted.
      expect(await sessionMailKeys(waiting.email)).toEqual([]);
      await staff(request(t.http).post(`/api/v1/sessions/${sessionId}/cancel`)).expect(409);
    });

    it('should let only an administrator edit the curriculum, and keep topics in use', async () => {
      const current = (await request(t.http).get('/api/v1/curriculum').expect(200)).body;
      const body = { requiredHours: 21, topics: current.topics };
      await staff(request(t.http).put('/api/v1/curriculum')).send(body).expect(403);
      const admin = await factory.admin();
      const updated = await request(t.http)
        .put('/api/v1/curriculum')
        .auth(admin, { type: 'bearer' })
        .send(body)
        .expect(200);
      expect(updated.body.requiredHours).toBe(21);
      const withoutUncrc = {
        requiredHours: 20,
        topics: current.topics.filter((x: { code: string }) => x.code !== 'uncrc'),
      };
      await request(t.http)
        .put('/api/v1/curriculum')
        .auth(admin, { type: 'bearer' })
        .send(withoutUncrc)
        .expect(409);
      await request(t.http)
        .put('/api/v1/curriculum')
        .auth(admin, { type: 'bearer' })
        .send({ requiredHours: 20, topics: current.topics })
        .expect(200);
    });
  });
});
