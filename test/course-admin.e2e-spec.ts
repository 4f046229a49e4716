import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { instantFromToday } from './dates';
import {
  COORDINATOR_PASSWORD,
  createCourse,
  Factory,
  fullCourseSessions,
  type SessionPlan,
} from './factories';
import { signedInAgent, submitForm } from './pages';
import { staffRequests } from './staff-requests';

/** A course whose first session began yesterday and whose others are still ahead. */
const startedSessions = (): SessionPlan[] =>
  fullCourseSessions(7).map((s, i) =>
    i === 0 ? { ...s, startsAt: instantFromToday(-1, 9), endsAt: instantFromToday(-1, 14) } : s,
  );

describe('course administration', () => {
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

  const { staff, book, participants } = staffRequests(() => ({ t, token: coordinator.token }));
  const patch = (courseId: string, body: object) =>
    staff(request(t.http).patch(`/api/v1/courses/${courseId}`)).send(body);
  const cancelCourse = (courseId: string) =>
    staff(request(t.http).post(`/api/v1/courses/${courseId}/cancel`));
  const mails = (email: string) =>
    t.db.query<{ template: string; subject: string; text: string; attachments: object[] }[]>(
      `SELECT template, subject, text_body AS text, attachments
         FROM outbox_message WHERE recipient = $1 ORDER BY created_at, id`,
      [email],
    );
  const templatesTo = async (email: string) => (await mails(email)).map((m) => m.template);
  const people = (n: number, overrides: object = {}) =>
    Promise.all(Array.from({ length: n }, () => factory.apply({ branchCode, ...overrides })));
  const submit = (page: string, action: string, fields: Record<string, string> = {}) =>
    submitForm(agent, page, action, fields);

  describe('PATCH /api/v1/courses/{id}', () => {
    it('should change title, capacity and default location, keep what is left out, and audit it', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 5 });

      const res = await patch(course.id, {
        title: 'Efterårskursus',
        location: 'Kulturhuset',
      }).expect(200);

      expect(res.body).toMatchObject({
        id: course.id,
        title: 'Efterårskursus',
        capacity: 5,
        location: 'Kulturhuset',
      });
      const again = await patch(course.id, { capacity: 8 }).expect(200);
      expect(again.body).toMatchObject({
        title: 'Efterårskursus',
        capacity: 8,
        location: 'Kulturhuset',
      });
      const audit = await t.db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_event WHERE action = 'course.updated' AND details->>'courseId' = $1`,
        [course.id],
      );
      expect(Number(audit[0].n)).toBe(2);
    });

    it("should name the field of an invalid value and hide another branch's course", async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });

      const zero = await patch(course.id, { capacity: 0 }).expect(400);
      expect(zero.body.errors).toContainEqual({
        field: 'capacity',
        code: 'tooSmall',
        message: 'Capacity must be at least 1',
      });
      await patch(course.id, { title: '' }).expect(400);
      await patch(course.id, { title: null }).expect(400);
      await patch(course.id, { capacity: null }).expect(400);

      const other = await factory.coordinator(await factory.branch());
      await request(t.http)
        .patch(`/api/v1/courses/${course.id}`)
        .auth(other.token, { type: 'bearer' })
        .send({ title: 'X' })
        .expect(404);
    });

    it('should refuse a capacity below the booked count with 409 and change nothing', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 3 });
      for (const p of await people(3)) {
        await book(course.id, p.id).expect(201);
      }

      const res = await patch(course.id, { capacity: 2, title: 'Andet navn' }).expect(409);

      expect(res.body.message).toContain('Kurset har 3 tilmeldte');
      const now = await staff(request(t.http).get(`/api/v1/courses/${course.id}`)).expect(200);
      expect(now.body).toMatchObject({ capacity: 3, title: 'Forberedende kursus' });
      await patch(course.id, { capacity: 3 }).expect(200);
    });

    it('should give raised seats to the first on the waitlist, in order, with the promotion mail', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const [first, second, third, fourth] = await people(4);
      for (const p of [first, second, third, fourth]) {
        await book(course.id, p.id).expect(201);
      }

      const res = await patch(course.id, { capacity: 3 }).expect(200);

      expect(res.body).toMatchObject({ capacity: 3, seatsLeft: 0, waitlisted: 1 });
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: first.id, status: 'booked', position: null }),
        expect.objectContaining({ volunteerId: second.id, status: 'booked', position: null }),
        expect.objectContaining({ volunteerId: third.id, status: 'booked', position: null }),
        expect.objectContaining({ volunteerId: fourth.id, status: 'waitlisted', position: 1 }),
      ]);
      expect(await templatesTo(second.email)).toContain('promoted');
      expect(await templatesTo(third.email)).toContain('promoted');
      expect(await templatesTo(fourth.email)).not.toContain('promoted');
    });

    it('should promote nobody into a course that has started', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        capacity: 1,
        sessions: startedSessions(),
      });
      const [seated, waiting] = await people(2);
      await book(course.id, seated.id).expect(201);
      await book(course.id, waiting.id).expect(201);

      await patch(course.id, { capacity: 2 }).expect(200);

      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: seated.id, status: 'booked' }),
        expect.objectContaining({ volunteerId: waiting.id, status: 'waitlisted', position: 1 }),
      ]);
      expect(await templatesTo(waiting.email)).not.toContain('promoted');
    });
  });

  describe('POST /api/v1/courses/{id}/cancel', () => {
    it('should tell everyone booked or waiting in their language, release the places and leave the public list', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const [seated] = await people(1, { locale: 'en' });
      const [waiting] = await people(1);
      await book(course.id, seated.id).expect(201);
      await book(course.id, waiting.id).expect(201);

      const res = await cancelCourse(course.id).expect(200);

      expect(res.body).toMatchObject({
        id: course.id,
        cancelled: true,
        seatsLeft: 1,
        waitlisted: 0,
      });
      expect(res.body.sessions.every((s: { cancelled: boolean }) => s.cancelled)).toBe(true);
      expect(await participants(course.id)).toEqual([]);
      const toSeated = (await mails(seated.email)).filter((m) => m.template === 'course-cancelled');
      expect(toSeated).toHaveLength(1);
      expect(toSeated[0].subject).toBe('Cancelled: Forberedende kursus');
      expect(toSeated[0].text).toContain('Your booking is therefore cancelled.');
      expect(JSON.stringify(toSeated[0].attachments)).toContain('METHOD:CANCEL');
      const toWaiting = (await mails(waiting.email)).filter(
        (m) => m.template === 'course-cancelled',
      );
      expect(toWaiting).toHaveLength(1);
      expect(toWaiting[0].text).toContain('Din plads på ventelisten er derfor annulleret.');
      const open = await request(t.http).get('/api/v1/courses').query({ branch: branchCode });
      expect(open.body.map((c: { id: string }) => c.id)).not.toContain(course.id);
      await book(course.id, seated.id).expect(409);
      const [audit] = await t.db.query<{ details: { released: number } }[]>(
        `SELECT details FROM audit_event WHERE action = 'course.cancelled' AND details->>'courseId' = $1`,
        [course.id],
      );
      expect(audit.details.released).toBe(2);
    });

    it('should refuse a second cancel and any change afterwards with 409, mailing nobody twice', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const [person] = await people(1);
      await book(course.id, person.id).expect(201);
      await cancelCourse(course.id).expect(200);

      const again = await cancelCourse(course.id).expect(409);

      expect(again.body.message).toBe('Kurset er aflyst. / The course is cancelled.');
      await patch(course.id, { capacity: 20 }).expect(409);
      expect(
        (await templatesTo(person.email)).filter((t) => t === 'course-cancelled'),
      ).toHaveLength(1);
    });

    it('should refuse to cancel a course that has started with 409 and change nothing', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: startedSessions(),
      });
      const [person] = await people(1);
      await book(course.id, person.id).expect(201);

      const res = await cancelCourse(course.id).expect(409);

      expect(res.body.message).toContain('Kurset er begyndt');
      expect(await participants(course.id)).toEqual([
        expect.objectContaining({ volunteerId: person.id, status: 'booked' }),
      ]);
      expect(await templatesTo(person.email)).not.toContain('course-cancelled');
      const page = (await agent.get(`/staff/courses/${course.id}/cancel`).expect(200)).text;
      expect(page).toContain('Kurset er begyndt og kan ikke aflyses');
      expect(page).not.toContain('Ja, aflys kurset');
      expect((await agent.get(`/staff/courses/${course.id}`).expect(200)).text).not.toContain(
        'Aflys kurset …',
      );
    });
  });

  describe('the course page', () => {
    it('should edit the course with "Ret kursus" and show a refusal next to the form', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 2 });
      for (const p of await people(2)) {
        await book(course.id, p.id).expect(201);
      }
      const page = `/staff/courses/${course.id}`;
      expect((await agent.get(page).expect(200)).text).toContain('Ret kursus');

      expect(
        await submit(page, page, {
          title: 'Weekendkursus',
          capacity: '4',
          location: 'Biblioteket',
        }),
      ).toBe(page);
      const edited = await staff(request(t.http).get(`/api/v1/courses/${course.id}`)).expect(200);
      expect(edited.body).toMatchObject({
        title: 'Weekendkursus',
        capacity: 4,
        location: 'Biblioteket',
      });

      await submit(page, page, { title: 'Weekendkursus', capacity: '1', location: 'Biblioteket' });
      const refused = (await agent.get(page).expect(200)).text;
      expect(refused).toContain('Kurset har 2 tilmeldte; kapaciteten kan ikke sættes lavere.');
      await submit(page, page, { title: 'Weekendkursus', capacity: 'mange' });
      expect((await agent.get(page).expect(200)).text).toContain(
        'Antal pladser skal være et helt tal',
      );
    });

    it('should show an empty waitlist as "Ingen på venteliste"', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const html = (await agent.get(`/staff/courses/${course.id}`).expect(200)).text;
      expect(html).toContain('Ingen på venteliste');
      expect(html).not.toContain('<li class="muted">Ingen.');
    });

    it('should say what cancelling will do before it cancels the course', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode, capacity: 1 });
      const [seated, waiting] = await people(2);
      await book(course.id, seated.id).expect(201);
      await book(course.id, waiting.id).expect(201);
      const confirm = `/staff/courses/${course.id}/cancel`;

      const question = (await agent.get(confirm).expect(200)).text;

      expect(question).toContain('1 tilmeldte og 1 på ventelisten får en e-mail om aflysningen');
      expect(question).toContain('Ja, aflys kurset');
      expect(await participants(course.id)).toHaveLength(2);

      expect(await submit(confirm, confirm)).toBe(`/staff/courses/${course.id}`);
      const after = (await agent.get(`/staff/courses/${course.id}`).expect(200)).text;
      expect(after).toContain('Kurset er aflyst, og deltagerne har fået besked.');
      expect(after).not.toContain('Ret kursus');
      expect(await participants(course.id)).toEqual([]);
      expect(await templatesTo(waiting.email)).toContain('course-cancelled');
    });

    it('should cancel a session from its page and tell those booked', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const [person] = await people(1);
      await book(course.id, person.id).expect(201);
      const page = `/staff/sessions/${course.sessions[1].id}`;
      expect((await agent.get(page).expect(200)).text).toContain('Aflys kursusgangen');

      expect(await submit(page, `${page}/cancel`)).toBe(page);

      const described = await staff(request(t.http).get(`/api/v1/courses/${course.id}`));
      expect(described.body.sessions.map((s: { cancelled: boolean }) => s.cancelled)).toEqual([
        false,
        true,
        false,
        false,
      ]);
      expect(await templatesTo(person.email)).toContain('session-cancelled');
      expect((await agent.get(page).expect(200)).text).not.toContain(
        '>Aflys kursusgangen</button>',
      );
    });
  });
});
