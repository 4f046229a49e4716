import { DateTime } from 'luxon';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { dateFromToday, instantFromToday } from './dates';
import {
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
  type SessionPlan,
} from './factories';
import { csrfIn, signedInAgent } from './pages';

interface Grid {
  sessions: { id: string; startsAt: string }[];
  rows: {
    volunteerId: string;
    firstName: string;
    lastName: string;
    present: Record<string, boolean | null>;
  }[];
}

/** A course whose first session began yesterday and whose others are still ahead. */
const partlyStarted = (): SessionPlan[] =>
  fullCourseSessions(7).map((s, i) =>
    i === 0 ? { ...s, startsAt: instantFromToday(-1, 9), endsAt: instantFromToday(-1, 14) } : s,
  );

describe('attendance register for the whole course', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  let agent: Awaited<ReturnType<typeof signedInAgent>>;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
  });
  afterAll(() => t.close());

  const staff = (req: request.Test, token = coordinator.token) =>
    req.auth(token, { type: 'bearer' });
  const book = (courseId: string, volunteerId: string) =>
    staff(request(t.http).post(`/api/v1/courses/${courseId}/bookings`))
      .send({ volunteerId })
      .expect(201);
  const grid = async (courseId: string) =>
    (await staff(request(t.http).get(`/api/v1/courses/${courseId}/attendance`)).expect(200))
      .body as Grid;
  const put = (courseId: string, records: object[], token = coordinator.token) =>
    staff(request(t.http).put(`/api/v1/courses/${courseId}/attendance`), token).send({ records });
  const attendanceRows = (volunteerIds: string[]) =>
    t.db.query<{ session_id: string; volunteer_id: string; present: boolean }[]>(
      'SELECT session_id, volunteer_id, present FROM attendance WHERE volunteer_id = ANY($1)',
      [volunteerIds],
    );
  const person = (firstName: string, lastName: string) =>
    factory.apply({ branchCode, firstName, lastName });
  /** Posts a page form as a browser does: the page's CSRF token with the fields. */
  const submit = async (page: string, action: string, fields: [string, string][]) => {
    const form = await agent.get(page).expect(200);
    const body = new URLSearchParams([['_csrf', csrfIn(form.text)], ...fields]).toString();
    const res = await agent.post(action).type('form').send(body).expect(303);
    return res.headers.location;
  };

  describe('GET and PUT /api/v1/courses/{id}/attendance', () => {
    it('should give a row per booked volunteer and per make-up attendee, a cell per live session', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-6),
      });
      const other = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(10),
      });
      const hansen = await person('Mette', 'Hansen');
      const berg = await person('Ida', 'Berg');
      const makeUp = await person('Ole', 'Holm');
      const waiting = await person('Åse', 'Vent');
      await book(course.id, hansen.id);
      await book(course.id, berg.id);
      await book(other.id, makeUp.id);
      await staff(request(t.http).post(`/api/v1/sessions/${course.sessions[3].id}/cancel`)).expect(
        200,
      );
      const [s0, s1, s2] = course.sessions;

      const saved = await put(course.id, [
        { sessionId: s0.id, volunteerId: hansen.id, present: true },
        { sessionId: s0.id, volunteerId: berg.id, present: false },
        { sessionId: s1.id, volunteerId: makeUp.id, present: true },
      ]).expect(200);

      const expected: Grid = {
        // The cancelled fourth session has no column.
        sessions: [s0, s1, s2].map((s) => ({ id: s.id, startsAt: s.startsAt })),
        rows: [
          {
            volunteerId: berg.id,
            firstName: 'Ida',
            lastName: 'Berg',
            present: { [s0.id]: false, [s1.id]: null, [s2.id]: null },
          },
          {
            volunteerId: hansen.id,
            firstName: 'Mette',
            lastName: 'Hansen',
            present: { [s0.id]: true, [s1.id]: null, [s2.id]: null },
          },
          {
            volunteerId: makeUp.id,
            firstName: 'Ole',
            lastName: 'Holm',
            present: { [s0.id]: null, [s1.id]: true, [s2.id]: null },
          },
        ],
      };
      expect(saved.body).toEqual(expected);
      expect(await grid(course.id)).toEqual(expected);
      // Someone on the waitlist only, or booked nowhere, is no row.
      expect((await grid(course.id)).rows.map((r) => r.volunteerId)).not.toContain(waiting.id);
      // The make-up attendee's own course does not list the session made up elsewhere.
      expect((await grid(other.id)).rows.map((r) => r.volunteerId)).toEqual([makeUp.id]);
    });

    it('should write nothing when one record is bad, and name that record', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-6),
      });
      const elsewhere = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-20),
      });
      const booked = await person('Anna', 'Bak');
      const unbooked = await person('Bo', 'Ubooket');
      const otherBranch = await factory.apply({ branchCode: await factory.branch() });
      await book(course.id, booked.id);
      const [s0, s1] = course.sessions;

      const res = await put(course.id, [
        { sessionId: s0.id, volunteerId: booked.id, present: true },
        { sessionId: s1.id, volunteerId: booked.id, present: true },
        { sessionId: s0.id, volunteerId: unbooked.id, present: true },
        { sessionId: s0.id, volunteerId: otherBranch.id, present: true },
        { sessionId: elsewhere.sessions[0].id, volunteerId: booked.id, present: true },
      ]).expect(400);

      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'records.2.volunteerId',
        'records.3.volunteerId',
        'records.4.sessionId',
      ]);
      expect(await attendanceRows([booked.id, unbooked.id, otherBranch.id])).toEqual([]);

      const twice = await put(course.id, [
        { sessionId: s0.id, volunteerId: booked.id, present: true },
        { sessionId: s0.id, volunteerId: booked.id, present: false },
      ]).expect(400);
      expect(twice.body.errors).toEqual([
        {
          field: 'records.1.volunteerId',
          code: 'duplicate',
          message: 'The volunteer appears twice for the session.',
        },
      ]);
      const badValue = await put(course.id, [
        { sessionId: s0.id, volunteerId: booked.id, present: 'yes' },
      ]).expect(400);
      expect(badValue.body.errors[0].field).toBe('records.0.present');
      expect(await attendanceRows([booked.id])).toEqual([]);
    });

    it('should refuse with 409 and write nothing when any session has not started', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: partlyStarted(),
      });
      const volunteer = await person('Carl', 'Dahl');
      await book(course.id, volunteer.id);

      const res = await put(course.id, [
        { sessionId: course.sessions[0].id, volunteerId: volunteer.id, present: true },
        { sessionId: course.sessions[1].id, volunteerId: volunteer.id, present: true },
      ]).expect(409);

      expect(res.body.message).toContain('når kursusgangen er begyndt');
      expect(await attendanceRows([volunteer.id])).toEqual([]);
      await put(course.id, [
        { sessionId: course.sessions[0].id, volunteerId: volunteer.id, present: true },
      ]).expect(200);
    });

    it('should clear a record with null and audit each changed cell only', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-6),
      });
      const volunteer = await person('Dorte', 'Eg');
      await book(course.id, volunteer.id);
      const [s0, s1] = course.sessions;
      await put(course.id, [
        { sessionId: s0.id, volunteerId: volunteer.id, present: true },
        { sessionId: s1.id, volunteerId: volunteer.id, present: false },
      ]).expect(200);

      const res = await put(course.id, [
        { sessionId: s0.id, volunteerId: volunteer.id, present: true },
        { sessionId: s1.id, volunteerId: volunteer.id, present: null },
      ]).expect(200);

      expect((res.body as Grid).rows[0].present[s1.id]).toBeNull();
      expect(await attendanceRows([volunteer.id])).toEqual([
        { session_id: s0.id, volunteer_id: volunteer.id, present: true },
      ]);
      const audit = await t.db.query<{ action: string; session: string; present: boolean }[]>(
        `SELECT action, details->>'sessionId' AS session, (details->>'present')::boolean AS present
           FROM audit_event WHERE volunteer_id = $1 AND action LIKE 'attendance.%' ORDER BY id`,
        [volunteer.id],
      );
      // The unchanged first cell sent again is not audited again.
      expect(audit).toEqual([
        { action: 'attendance.recorded', session: s0.id, present: true },
        { action: 'attendance.recorded', session: s1.id, present: false },
        { action: 'attendance.cleared', session: s1.id, present: null },
      ]);
    });

    it('should make a volunteer matchable when the grid brings the required hours, and take it back', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-6),
      });
      const volunteer = await person('Eva', 'Fisker');
      await book(course.id, volunteer.id);
      const visit = await staff(
        request(t.http).post(`/api/v1/volunteers/${volunteer.id}/home-visits`),
      )
        .send({ scheduledAt: DateTime.now().minus({ days: 30 }).toISO() })
        .expect(201);
      await staff(request(t.http).post(`/api/v1/home-visits/${visit.body.id}/outcome`))
        .send({ outcome: 'approved' })
        .expect(200);
      await staff(request(t.http).post(`/api/v1/volunteers/${volunteer.id}/attestations`))
        .send({ receivedOn: dateFromToday(-20), result: 'clean' })
        .expect(201);
      const readiness = async () =>
        (await staff(request(t.http).get(`/api/v1/volunteers/${volunteer.id}`)).expect(200))
          .body as { stage: string; readiness: { matchable: boolean } };
      expect(await readiness()).toMatchObject({ stage: 'approved' });

      await put(
        course.id,
        course.sessions.map((s) => ({ sessionId: s.id, volunteerId: volunteer.id, present: true })),
      ).expect(200);

      expect(await readiness()).toMatchObject({
        stage: 'matchable',
        readiness: { matchable: true },
      });

      // Cleared again, the hours fall short and the mark goes.
      await put(course.id, [
        { sessionId: course.sessions[3].id, volunteerId: volunteer.id, present: null },
      ]).expect(200);
      expect(await readiness()).toMatchObject({
        stage: 'approved',
        readiness: { matchable: false },
      });
    });

    it("should hide another branch's course", async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-6),
      });
      const volunteer = await person('Finn', 'Gram');
      await book(course.id, volunteer.id);
      const other = await factory.coordinator(await factory.branch());

      await staff(
        request(t.http).get(`/api/v1/courses/${course.id}/attendance`),
        other.token,
      ).expect(404);
      await put(
        course.id,
        [{ sessionId: course.sessions[0].id, volunteerId: volunteer.id, present: true }],
        other.token,
      ).expect(404);
      expect(await attendanceRows([volunteer.id])).toEqual([]);
    });
  });

  describe('POST /api/v1/courses/{id}/sessions', () => {
    it("should add a session that the course and the booked volunteer's calendar feed show", async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const volunteer = await person('Gitte', 'Hald');
      await book(course.id, volunteer.id);
      const startsAt = instantFromToday(30, 17);
      const endsAt = instantFromToday(30, 20);

      const res = await staff(request(t.http).post(`/api/v1/courses/${course.id}/sessions`))
        .send({ startsAt, endsAt, location: 'Kulturhuset', topics: ['diverse_families'] })
        .expect(201);

      expect(res.body).toMatchObject({
        id: expect.any(String),
        startsAt,
        endsAt,
        location: 'Kulturhuset',
        topics: ['diverse_families'],
        hours: 3,
        cancelled: false,
      });
      const now = await staff(request(t.http).get(`/api/v1/courses/${course.id}`)).expect(200);
      expect(now.body.sessions.map((s: { id: string }) => s.id)).toContain(res.body.id);
      const me = await request(t.http)
        .get('/api/v1/me')
        .auth(volunteer.portalToken, { type: 'bearer' })
        .expect(200);
      const feed = await request(t.http).get(me.body.calendarUrl).expect(200);
      expect(feed.text).toContain(`UID:${res.body.id}@klar`);
      const audit = await t.db.query(
        `SELECT 1 FROM audit_event WHERE action = 'session.added' AND details->>'sessionId' = $1`,
        [res.body.id],
      );
      expect(audit).toHaveLength(1);
    });

    it('should name the field of a bad session, a bad trainer among them, and hide other branches', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const add = (body: object, token = coordinator.token) =>
        staff(request(t.http).post(`/api/v1/courses/${course.id}/sessions`), token).send({
          startsAt: instantFromToday(40, 17),
          endsAt: instantFromToday(40, 20),
          location: 'Kulturhuset',
          topics: ['relations'],
          ...body,
        });
      const fields = async (body: object) =>
        ((await add(body).expect(400)).body.errors as { field: string }[]).map((e) => e.field);

      expect(await fields({ endsAt: instantFromToday(40, 16) })).toEqual(['endsAt']);
      expect(await fields({ topics: ['astrology'] })).toEqual(['topics']);
      expect(await fields({ topics: [] })).toEqual(['topics']);
      expect(await fields({ location: '' })).toEqual(['location']);
      expect(await fields({ trainerUserId: 'tina' })).toEqual(['trainerUserId']);
      // Overlapping a session the course already has.
      expect(
        await fields({
          startsAt: course.sessions[0].startsAt,
          endsAt: DateTime.fromISO(course.sessions[0].startsAt).plus({ hours: 2 }).toISO(),
        }),
      ).toEqual(['startsAt']);
      const other = await factory.coordinator(await factory.branch());
      await add({}, other.token).expect(404);
      const sessions = await t.db.query('SELECT 1 FROM course_session WHERE course_id = $1', [
        course.id,
      ]);
      expect(sessions).toHaveLength(4);

      await staff(request(t.http).post(`/api/v1/courses/${course.id}/cancel`)).expect(200);
      await add({}).expect(409);
    });
  });

  describe('pages', () => {
    it('should save the grid, mark a column present without script, and add a make-up', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Vinterkursus',
        sessions: fullCourseSessions(-6),
      });
      const other = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Forårskursus',
        sessions: fullCourseSessions(12),
      });
      const a = await person('Hanne', 'Ibsen');
      const b = await person('Jens', 'Kjær');
      const makeUp = await person('Lis', 'Munk');
      await book(course.id, a.id);
      await book(course.id, b.id);
      await book(other.id, makeUp.id);
      const [s0, s1] = course.sessions;
      const page = `/staff/courses/${course.id}/attendance`;
      const cell = (sessionId: string, volunteerId: string) => `c:${sessionId}:${volunteerId}`;

      const shown = await agent.get(`/staff/courses/${course.id}`).expect(200);
      expect(shown.text).toContain(`href="${page}"`);
      expect(shown.text).toContain(`/staff/courses/${course.id}/print/attendance`);

      // "Alle mødte" for the second session, and one cell of the first chosen by hand.
      expect(
        await submit(page, page, [
          [cell(s0.id, a.id), 'absent'],
          [cell(s0.id, b.id), ''],
          [cell(s1.id, a.id), ''],
          [cell(s1.id, b.id), 'absent'],
          ['allPresent', s1.id],
        ]),
      ).toBe(page);
      const saved = await grid(course.id);
      expect(saved.rows.map((r) => [r.present[s0.id], r.present[s1.id]])).toEqual([
        [false, true],
        [null, true],
      ]);
      const html = (await agent.get(page).expect(200)).text;
      expect(html).toContain('Fremmødet er gemt.');
      expect(html).toContain('aria-label="Hanne Ibsen,');
      expect(html).toContain('Lis Munk (Forårskursus)');

      // A make-up without a session is refused by the field, nothing written.
      await submit(page, `${page}/make-up`, [
        ['volunteerId', makeUp.id],
        ['sessionId', ''],
      ]);
      const refused = (await agent.get(page).expect(200)).text;
      expect(refused).toContain('Vælg en kursusgang');
      expect(await attendanceRows([makeUp.id])).toEqual([]);

      await submit(page, `${page}/make-up`, [
        ['volunteerId', makeUp.id],
        ['sessionId', s0.id],
      ]);
      expect(await attendanceRows([makeUp.id])).toEqual([
        { session_id: s0.id, volunteer_id: makeUp.id, present: true },
      ]);
      expect((await grid(course.id)).rows.map((r) => r.lastName)).toEqual([
        'Ibsen',
        'Kjær',
        'Munk',
      ]);
    });

    it('should print the attendance sheet and the participant list with phone and signature columns', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, title: 'Printkursus' });
      const volunteer = await factory.apply({
        branchCode,
        firstName: 'Nina',
        lastName: 'Olsen',
        phone: '+45 11 22 33 44',
        postcode: '8200',
      });
      await book(course.id, volunteer.id);

      const sheet = (await agent.get(`/staff/courses/${course.id}/print/attendance`).expect(200))
        .text;
      expect(sheet).toContain('Fremmødeliste');
      expect(sheet).toContain('Nina Olsen');
      expect(sheet).toContain('+45 11 22 33 44');
      expect(sheet.match(/<td class="sign"><\/td>/g)).toHaveLength(4 * 4); // Nina and 3 blank lines

      const list = (await agent.get(`/staff/courses/${course.id}/print/participants`).expect(200))
        .text;
      expect(list).toContain('Deltagerliste');
      expect(list).toContain(volunteer.email);
      expect(list).toContain('8200');
      expect(list).toContain('Underskrift');

      const other = await factory.coordinator(await factory.branch());
      const stranger = await signedInAgent(t, other.email, COORDINATOR_PASSWORD);
      await stranger.get(`/staff/courses/${course.id}/print/participants`).expect(404);
    });

    it('should add a session from the course page, its location filled in, and move it from the session page', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      await staff(request(t.http).patch(`/api/v1/courses/${course.id}`))
        .send({ location: 'Medborgerhuset' })
        .expect(200);
      const coursePage = `/staff/courses/${course.id}`;
      const form = (await agent.get(coursePage).expect(200)).text;
      expect(form).toMatch(/name="location" type="text" value="Medborgerhuset"/);
      const day = DateTime.now().setZone('Europe/Copenhagen').plus({ days: 50 }).toISODate()!;

      // End before start: back to the page with the message by the field.
      await submit(coursePage, `${coursePage}/sessions`, [
        ['startsAt', `${day}T17:00`],
        ['endsAt', `${day}T16:00`],
        ['location', 'Medborgerhuset'],
        ['topics', 'relations'],
      ]);
      expect((await agent.get(coursePage).expect(200)).text).toContain(
        'Kursusgangen skal slutte, efter den er begyndt.',
      );

      await submit(coursePage, `${coursePage}/sessions`, [
        ['startsAt', `${day}T17:00`],
        ['endsAt', `${day}T20:00`],
        ['location', 'Medborgerhuset'],
        ['topics', 'relations'],
      ]);
      const after = await staff(request(t.http).get(`/api/v1/courses/${course.id}`)).expect(200);
      const added = (
        after.body.sessions as { id: string; startsAt: string; location: string }[]
      ).find((s) => s.location === 'Medborgerhuset')!;
      expect(DateTime.fromISO(added.startsAt).setZone('Europe/Copenhagen').toISO()).toContain(
        `${day}T17:00`,
      );

      // Moving: the course page links each session to its page, whose form moves it.
      expect((await agent.get(coursePage).expect(200)).text).toContain(
        `href="/staff/sessions/${added.id}"`,
      );
      const later = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!;
      await submit(`/staff/sessions/${added.id}`, `/staff/sessions/${added.id}`, [
        ['startsAt', `${later}T18:00`],
        ['endsAt', `${later}T21:00`],
        ['location', 'Medborgerhuset'],
        ['topics', 'relations'],
      ]);
      const moved = await t.db.query<{ starts_at: Date; sequence: number }[]>(
        'SELECT starts_at, sequence FROM course_session WHERE id = $1',
        [added.id],
      );
      expect(
        DateTime.fromJSDate(moved[0].starts_at)
          .setZone('Europe/Copenhagen')
          .toFormat('yyyy-MM-dd HH:mm'),
      ).toBe(`${later} 18:00`);
      expect(moved[0].sequence).toBe(1);
    });
  });
});
