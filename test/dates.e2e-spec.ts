import { DateTime } from 'luxon';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createTestApp, type TestApp } from './app';
import { serverUrl } from './database';
import {
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
  type SessionPlan,
} from './factories';
import { mailsTo } from './links';
import { csrfIn, signedInAgent, submitForm } from './pages';
import { staffRequests } from './staff-requests';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const onServer = serverUrl() ? describe : describe.skip;

/** `<input type="datetime-local">` as a browser in Copenhagen fills it in. */
const localInput = (date: Date) =>
  DateTime.fromJSDate(date).setZone('Europe/Copenhagen').toFormat("yyyy-MM-dd'T'HH:mm");

describe('dates and bookings that make sense', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  let agent: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
  });
  afterAll(() => t.close());

  const { staff, book, participants } = staffRequests(() => ({ t, token: coordinator.token }));
  const ownBook = (portalToken: string, courseId: string) =>
    request(t.http)
      .post('/api/v1/me/bookings')
      .auth(portalToken, { type: 'bearer' })
      .send({ courseId });
  const volunteer = async (id: string) =>
    (await staff(request(t.http).get(`/api/v1/volunteers/${id}`)).expect(200)).body as {
      homeVisits: { id: string; outcome: string | null; heldAt: string | null; notes: string }[];
    };
  const scheduleVisit = async (volunteerId: string, scheduledAt: Date) =>
    (
      await staff(request(t.http).post(`/api/v1/volunteers/${volunteerId}/home-visits`))
        .send({ scheduledAt: scheduledAt.toISOString() })
        .expect(201)
    ).body as { id: string };
  const postForm = (page: string, action: string, fields: Record<string, string>) =>
    submitForm(agent, page, action, fields);

  describe('home visit outcomes', () => {
    it('should record when the visit was held: the planned time once passed, a given time, never the future', async () => {
      const { id } = await factory.apply({ branchCode });
      const scheduledAt = new Date(Date.now() - 2 * DAY);
      const visit = await scheduleVisit(id, scheduledAt);
      const outcome = (body: object) =>
        staff(request(t.http).post(`/api/v1/home-visits/${visit.id}/outcome`)).send(body);

      const future = await outcome({
        outcome: 'approved',
        heldAt: new Date(Date.now() + HOUR).toISOString(),
      }).expect(400);
      expect(future.body.errors).toEqual([
        { field: 'heldAt', code: 'inFuture', message: expect.any(String) },
      ]);
      expect(future.body.errors[0].message).toContain('future');
      expect((await volunteer(id)).homeVisits[0]).toMatchObject({ outcome: null, heldAt: null });

      const saved = await outcome({ outcome: 'follow_up' }).expect(200);
      expect(Date.parse(saved.body.heldAt)).toBe(scheduledAt.getTime());

      // A second visit, held a day later than planned, with the time given.
      const second = await scheduleVisit(id, new Date(Date.now() - 3 * DAY));
      const heldAt = DateTime.now().minus({ days: 2 }).startOf('minute');
      const approved = await staff(request(t.http).post(`/api/v1/home-visits/${second.id}/outcome`))
        .send({ outcome: 'approved', heldAt: heldAt.toISO() })
        .expect(200);
      expect(Date.parse(approved.body.heldAt)).toBe(heldAt.toMillis());
    });

    it('should take an outcome for a visit planned for later as held now through the API', async () => {
      const { id } = await factory.apply({ branchCode });
      const visit = await scheduleVisit(id, new Date(Date.now() + 3 * DAY));
      const before = Date.now();
      const res = await staff(request(t.http).post(`/api/v1/home-visits/${visit.id}/outcome`))
        .send({ outcome: 'declined', notes: 'Ønsker at undervise forældrene' })
        .expect(200);
      expect(Date.parse(res.body.heldAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.heldAt)).toBeLessThanOrEqual(Date.now());
      // The decline's notes are its reason, on the record.
      const page = await agent.get(`/staff/volunteers/${id}`).expect(200);
      expect(page.text).toContain('begrundelse: Ønsker at undervise forældrene');
    });

    it('should ask on the page whether a visit planned for later was held, keeping the input', async () => {
      const { id } = await factory.apply({ branchCode });
      const visit = await scheduleVisit(id, new Date(Date.now() + 3 * DAY));
      const page = `/staff/volunteers/${id}`;
      const action = `${page}/home-visits/${visit.id}/outcome`;
      const form = await agent.get(page).expect(200);
      expect(form.text).toContain('Er besøget allerede holdt?');

      const fields = {
        outcome: 'declined',
        notes: 'Forstår ikke tavshedspligten',
        heldAt: localInput(new Date(Date.now() - HOUR)),
      };
      expect(await postForm(page, action, fields)).toBe(page);
      const asked = await agent.get(page).expect(200);
      expect(asked.text).toContain('class="error-summary"');
      expect(asked.text).toContain('Er besøget allerede holdt? Besøget er aftalt til senere');
      expect(asked.text).toContain('Forstår ikke tavshedspligten');
      expect((await volunteer(id)).homeVisits[0].outcome).toBeNull();

      // Confirmed, but held tomorrow: refused on its field.
      const tomorrow = { ...fields, held: 'on', heldAt: localInput(new Date(Date.now() + DAY)) };
      expect(await postForm(page, action, tomorrow)).toBe(page);
      expect((await agent.get(page).expect(200)).text).toContain(
        'Tidspunktet for besøget kan ikke ligge i fremtiden',
      );
      expect((await volunteer(id)).homeVisits[0].outcome).toBeNull();

      // A decline is confirmed on a page of its own, which keeps the time given here.
      const confirm = `${action.replace(/outcome$/, 'decline')}`;
      expect(await postForm(page, action, { ...fields, held: 'on' })).toBe(confirm);
      expect((await volunteer(id)).homeVisits[0].outcome).toBeNull();
      expect(
        await postForm(confirm, confirm, {
          held: 'on',
          heldAt: fields.heldAt,
          reason: 'not_suited',
        }),
      ).toBe(page);
      const [saved] = (await volunteer(id)).homeVisits;
      expect(saved.outcome).toBe('declined');
      expect(localInput(new Date(saved.heldAt!))).toBe(fields.heldAt);
    });

    it('should record a visit scheduled in the past without mailing an invitation', async () => {
      const past = await factory.apply({ branchCode });
      const ahead = await factory.apply({ branchCode });
      await scheduleVisit(past.id, new Date(Date.now() - 5 * DAY));
      await scheduleVisit(ahead.id, new Date(Date.now() + 5 * DAY));
      expect(await mailsTo(t, past.email)).not.toContain('home-visit-scheduled');
      expect(await mailsTo(t, ahead.email)).toContain('home-visit-scheduled');
    });
  });

  describe('creating a course', () => {
    const pastSessions = () => fullCourseSessions(-20);
    const formFields = (title: string, capacity: string, sessions: SessionPlan[]) => {
      const fields: Record<string, string> = { branchCode, title, capacity };
      sessions.forEach((s, i) => {
        fields[`sessions[${i}][startsAt]`] = localInput(new Date(s.startsAt));
        fields[`sessions[${i}][endsAt]`] = localInput(new Date(s.endsAt));
        fields[`sessions[${i}][location]`] = s.location;
        fields[`sessions[${i}][topics]`] = s.topics[0];
      });
      return fields;
    };
    const courseCount = async () =>
      Number((await t.db.query<{ n: string }[]>('SELECT count(*) AS n FROM course'))[0].n);

    it('should report every error of the course at once, in the API', async () => {
      const [first, second] = fullCourseSessions(10);
      const res = await staff(request(t.http).post('/api/v1/courses'))
        .send({
          branchCode,
          title: '',
          capacity: 0,
          sessions: [
            { ...first, endsAt: new Date(Date.parse(first.startsAt) - HOUR).toISOString() },
            { ...second, startsAt: 'soon' },
          ],
        })
        .expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['title', 'capacity', 'sessions.0.endsAt', 'sessions.1.startsAt']),
      );
    });

    it('should report every error of the course form at once on the page', async () => {
      const [first] = fullCourseSessions(10);
      const before = await courseCount();
      const backwards = {
        ...first,
        endsAt: new Date(Date.parse(first.startsAt) - HOUR).toISOString(),
      };
      const location = await postForm(
        '/staff/courses/new',
        '/staff/courses',
        formFields('', '0', [backwards]),
      );
      expect(location).toBe('/staff/courses/new');
      const page = await agent.get('/staff/courses/new').expect(200);
      expect(page.text).toContain('Antal pladser skal være mindst 1');
      expect(page.text).toContain('Kursusgangen skal slutte, efter den er begyndt.');
      expect(await courseCount()).toBe(before);
    });

    it('should ask on the page before registering a course already held, and the API takes it', async () => {
      const before = await courseCount();
      const fields = formFields('Efterårets kursus', '12', pastSessions());
      expect(await postForm('/staff/courses/new', '/staff/courses', fields)).toBe(
        '/staff/courses/new',
      );
      const asked = await agent.get('/staff/courses/new').expect(200);
      expect(asked.text).toContain('Registrerer du et afholdt kursus?');
      expect(asked.text).toContain('Efterårets kursus');
      expect(await courseCount()).toBe(before);

      const saved = await postForm('/staff/courses/new', '/staff/courses', {
        ...fields,
        alreadyHeld: 'on',
      });
      expect(saved).toMatch(/^\/staff\/courses\/[0-9a-f-]{36}$/);
      expect(await courseCount()).toBe(before + 1);

      await createCourse(t, coordinator.token, { branchCode, sessions: pastSessions() });
      expect(await courseCount()).toBe(before + 2);
    });
  });

  describe('bookings', () => {
    /** A course that began yesterday and runs three more days. */
    const underWay = () => fullCourseSessions(-1);

    it('should mail no booking for a course that has ended, registered after the fact', async () => {
      const held = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 1,
        sessions: fullCourseSessions(-20),
      });
      const [first, second] = [
        await factory.apply({ branchCode }),
        await factory.apply({ branchCode }),
      ];
      expect((await book(held.id, first.id).expect(201)).body.status).toBe('booked');
      expect((await book(held.id, second.id).expect(201)).body.status).toBe('waitlisted');
      for (const person of [first, second]) {
        const mails = await mailsTo(t, person.email);
        expect(mails).not.toContain('booking-confirmed');
        expect(mails).not.toContain('waitlisted');
      }
      const upcoming = await createCourse(t, coordinator.token, { branchCode });
      const third = await factory.apply({ branchCode });
      await book(upcoming.id, third.id).expect(201);
      expect(await mailsTo(t, third.email)).toContain('booking-confirmed');
    });

    /** Someone seated on an upcoming course, and a later course of the same branch. */
    const seatedOnOneOfTwoCourses = async () => {
      const first = await createCourse(t, coordinator.token, { branchCode });
      const second = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(40),
      });
      const person = await factory.apply({ branchCode });
      await book(first.id, person.id).expect(201);
      return { second, person };
    };

    it('should refuse a second unfinished course unless staff confirm, and the volunteer always', async () => {
      const { second, person } = await seatedOnOneOfTwoCourses();

      const refused = await book(second.id, person.id).expect(409);
      expect(refused.body.message).toContain('har allerede plads på kurset');
      const own = await ownBook(person.portalToken, second.id).expect(409);
      expect(own.body.message).toContain('Du har allerede plads på kurset');
      // The personal page does not offer what the rule refuses.
      const portal = await request(t.http).get(`/v/${person.portalToken}`).expect(200);
      expect(portal.text).toContain('Du har plads på et kursus, der ikke er slut');
      expect(portal.text).not.toContain(`value="${second.id}"`);
      expect(await participants(second.id)).toEqual([]);

      await book(second.id, person.id, { second: true }).expect(201);
      expect((await participants(second.id)).map((p) => p.volunteerId)).toEqual([person.id]);
    });

    it('should not count a waitlist place or an ended course as a seat elsewhere', async () => {
      const full = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const held = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-20),
      });
      const next = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(40),
      });
      const [taker, waiting] = [
        await factory.apply({ branchCode }),
        await factory.apply({ branchCode }),
      ];
      await book(full.id, taker.id).expect(201);
      expect((await book(full.id, waiting.id).expect(201)).body.status).toBe('waitlisted');
      await ownBook(waiting.portalToken, next.id).expect(201);

      const alumnus = await factory.apply({ branchCode });
      await book(held.id, alumnus.id).expect(201);
      await ownBook(alumnus.portalToken, next.id).expect(201);
    });

    it('should ask on the staff page before booking a second course', async () => {
      const { second, person } = await seatedOnOneOfTwoCourses();
      const page = `/staff/volunteers/${person.id}`;
      const action = `/staff/volunteers/${person.id}/bookings`;

      expect(await postForm(page, action, { courseId: second.id })).toBe(page);
      const asked = await agent.get(page).expect(200);
      expect(asked.text).toContain('name="second"');
      expect(asked.text).toContain('har allerede plads på kurset');
      expect(await participants(second.id)).toEqual([]);

      await postForm(page, action, { courseId: second.id, second: 'on' });
      expect((await participants(second.id)).map((p) => p.volunteerId)).toEqual([person.id]);
    });

    it("should refuse the volunteer's own cancellation once the course has started, in the API and on the page", async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: underWay(),
      });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      const refused = await request(t.http)
        .delete(`/api/v1/me/bookings/${course.id}`)
        .auth(person.portalToken, { type: 'bearer' })
        .expect(409);
      expect(refused.body.message).toContain('Kurset er begyndt');

      const portal = request.agent(t.http);
      const form = await portal.get(`/v/${person.portalToken}`).expect(200);
      // The page offers no cancel button for a course under way; a stale form still gets the 409.
      expect(form.text).not.toContain(`/bookings/${course.id}/cancel`);
      await portal
        .post(`/v/${person.portalToken}/bookings/${course.id}/cancel`)
        .type('form')
        .send({ _csrf: csrfIn(form.text) })
        .expect(303);
      expect((await portal.get(`/v/${person.portalToken}`).expect(200)).text).toContain(
        'Kurset er begyndt',
      );
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: person.id, status: 'booked' }),
      ]);
    });

    it('should keep a course whose sessions were all cancelled out of reach: not listed, not bookable, not blocking', async () => {
      const emptied = await createCourse(t, coordinator.token, { branchCode });
      const person = await factory.apply({ branchCode });
      await book(emptied.id, person.id).expect(201);
      for (const session of emptied.sessions) {
        await staff(request(t.http).post(`/api/v1/sessions/${session.id}/cancel`)).expect(200);
      }
      const listed = await request(t.http).get('/api/v1/courses').query({ branch: branchCode });
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(emptied.id);
      const other = await factory.apply({ branchCode });
      const refused = await ownBook(other.portalToken, emptied.id).expect(409);
      expect(refused.body.message).toContain('Kurset har ingen kursusgange');
      // A seat on it is no course under way: the person may book another themself.
      const next = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(40),
      });
      await ownBook(person.portalToken, next.id).expect(201);
    });

    it('should let a volunteer leave a waitlist place on a course that has started', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 1,
        sessions: underWay(),
      });
      const [seated, waiting] = [
        await factory.apply({ branchCode }),
        await factory.apply({ branchCode }),
      ];
      await book(course.id, seated.id).expect(201);
      expect((await book(course.id, waiting.id).expect(201)).body.status).toBe('waitlisted');
      const page = await request(t.http).get(`/v/${waiting.portalToken}`).expect(200);
      expect(page.text).toContain(`/bookings/${course.id}/cancel`);
      await request(t.http)
        .delete(`/api/v1/me/bookings/${course.id}`)
        .auth(waiting.portalToken, { type: 'bearer' })
        .expect(204);
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: seated.id, status: 'booked' }),
      ]);
    });

    it('should promote nobody into a course that has started, however the seat is freed', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 3,
        sessions: underWay(),
      });
      const people = [];
      for (let i = 0; i < 5; i += 1) {
        people.push(await factory.apply({ branchCode }));
      }
      const [cancelled, withdrawn, declined, firstWaiting, secondWaiting] = people;
      for (const person of people) {
        await book(course.id, person.id).expect(201);
      }
      // Staff cancel, a withdrawal, and a declined home visit each free a seat.
      await staff(
        request(t.http).delete(`/api/v1/courses/${course.id}/bookings/${cancelled.id}`),
      ).expect(204);
      await staff(request(t.http).post(`/api/v1/volunteers/${withdrawn.id}/withdraw`)).expect(200);
      const visit = await scheduleVisit(declined.id, new Date(Date.now() - DAY));
      await staff(request(t.http).post(`/api/v1/home-visits/${visit.id}/outcome`))
        .send({ outcome: 'declined', notes: 'Passer ikke til rollen' })
        .expect(200);

      expect(await participants(course.id)).toEqual([
        expect.objectContaining({
          volunteerId: firstWaiting.id,
          status: 'waitlisted',
          position: 1,
        }),
        expect.objectContaining({
          volunteerId: secondWaiting.id,
          status: 'waitlisted',
          position: 2,
        }),
      ]);
      expect(await mailsTo(t, firstWaiting.email)).not.toContain('promoted');
    });
  });

  onServer('attendance while the session is being cancelled', () => {
    it('should wait for the cancellation and then refuse, recording nothing', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-5),
      });
      const person = await factory.apply({ branchCode });
      await book(course.id, person.id).expect(201);
      const sessionId = course.sessions[0].id;

      // A cancellation in flight on another connection, holding the session row.
      const cancellation = t.db.createQueryRunner();
      await cancellation.connect();
      await cancellation.startTransaction();
      let attendance: Promise<request.Response> | undefined;
      try {
        await cancellation.query(`SELECT id FROM course_session WHERE id = $1 FOR UPDATE`, [
          sessionId,
        ]);
        let answered = false;
        attendance = staff(request(t.http).put(`/api/v1/sessions/${sessionId}/attendance`))
          .send({ records: [{ volunteerId: person.id, present: true }] })
          .then((res) => {
            answered = true;
            return res;
          });
        // Until the request either answers or waits for the row the cancellation holds.
        const deadline = Date.now() + 30_000;
        while (!answered && Date.now() < deadline) {
          const [{ waiting }] = await cancellation.query(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (waiting > 0) {
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await cancellation.query(
          `UPDATE course_session SET cancelled_at = now(), sequence = sequence + 1 WHERE id = $1`,
          [sessionId],
        );
        await cancellation.commitTransaction();
      } finally {
        if (cancellation.isTransactionActive) {
          await cancellation.rollbackTransaction();
        }
        await cancellation.release();
      }
      const res = await attendance;
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('Kursusgangen er aflyst. / The session is cancelled.');
      expect(
        await t.db.query('SELECT 1 FROM attendance WHERE session_id = $1', [sessionId]),
      ).toHaveLength(0);
    });
  });
});
