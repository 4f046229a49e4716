import request from 'supertest';
import { ADMIN_EMAIL, createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { signedInAgent } from './pages';
import { staffRequests } from './staff-requests';

describe('session trainers', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let otherBranch: string;
  let coordinator: { email: string; token: string; id: string };
  let colleague: { email: string; token: string; id: string };
  let outsider: { email: string; token: string; id: string };
  let adminId: string;

  const userId = async (email: string) =>
    (await t.db.query<{ id: string }[]>('SELECT id FROM staff_user WHERE email = $1', [email]))[0]
      .id;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    otherBranch = await factory.branch();
    const c = await factory.coordinator(branchCode);
    coordinator = { ...c, id: await userId(c.email) };
    const k = await factory.coordinator(branchCode);
    colleague = { ...k, id: await userId(k.email) };
    const o = await factory.coordinator(otherBranch);
    outsider = { ...o, id: await userId(o.email) };
    adminId = await userId(ADMIN_EMAIL);
  });
  afterAll(() => t.close());

  const { staff, book } = staffRequests(() => ({ t, token: coordinator.token }));
  const as = (token: string, req: request.Test) => req.auth(token, { type: 'bearer' });
  const putSession = (sessionId: string, body: object, token = coordinator.token) =>
    as(token, request(t.http).put(`/api/v1/sessions/${sessionId}`)).send(body);
  const courseDetail = async (courseId: string) =>
    (await staff(request(t.http).get(`/api/v1/courses/${courseId}`)).expect(200)).body as {
      sessions: { id: string; trainerName: string | null; trainerUserId: string | null }[];
    };

  describe('course creation', () => {
    it('should keep a staff trainer and an external trainer per session and return them', async () => {
      const [a, b, c, d] = fullCourseSessions(7);
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: [
          { ...a, trainerUserId: colleague.id },
          { ...b, trainerName: 'Jens Jensen' },
          { ...c, trainerUserId: adminId },
          d,
        ] as (typeof a)[],
      });

      const detail = await courseDetail(course.id);
      expect(
        detail.sessions.map((s) => ({
          trainerName: s.trainerName,
          trainerUserId: s.trainerUserId,
        })),
      ).toEqual([
        { trainerName: null, trainerUserId: colleague.id },
        { trainerName: 'Jens Jensen', trainerUserId: null },
        { trainerName: null, trainerUserId: adminId },
        { trainerName: null, trainerUserId: null },
      ]);
    });

    it("should refuse a coordinator of another branch as trainer, naming the session's field", async () => {
      const [a, ...rest] = fullCourseSessions(7);
      const res = await as(coordinator.token, request(t.http).post('/api/v1/courses'))
        .send({
          title: 'Kursus',
          capacity: 10,
          branchCode,
          sessions: [{ ...a, trainerUserId: outsider.id }, ...rest],
        })
        .expect(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'sessions.0.trainerUserId', code: 'notATrainer' }),
      ]);
    });

    it('should refuse an unknown user id, a malformed id, and both kinds of trainer at once', async () => {
      const [a, ...rest] = fullCourseSessions(7);
      const send = (first: object) =>
        as(coordinator.token, request(t.http).post('/api/v1/courses'))
          .send({ title: 'Kursus', capacity: 10, branchCode, sessions: [first, ...rest] })
          .expect(400);

      const unknown = await send({ ...a, trainerUserId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.body.errors).toEqual([
        expect.objectContaining({ field: 'sessions.0.trainerUserId', code: 'notATrainer' }),
      ]);
      const malformed = await send({ ...a, trainerUserId: 'karen' });
      expect(malformed.body.errors).toEqual([
        expect.objectContaining({ field: 'sessions.0.trainerUserId' }),
      ]);
      const both = await send({ ...a, trainerUserId: colleague.id, trainerName: 'Jens' });
      expect(both.body.errors).toEqual([
        expect.objectContaining({ field: 'sessions.0.trainerName', code: 'trainerTwice' }),
      ]);
    });
  });

  describe('adding and changing a session', () => {
    it('should take a trainer on a new session and refuse one of another branch on trainerUserId', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const extra = fullCourseSessions(20)[0];

      const bad = await staff(request(t.http).post(`/api/v1/courses/${course.id}/sessions`))
        .send({ ...extra, trainerUserId: outsider.id })
        .expect(400);
      expect(bad.body.errors).toEqual([
        expect.objectContaining({ field: 'trainerUserId', code: 'notATrainer' }),
      ]);

      const added = await staff(request(t.http).post(`/api/v1/courses/${course.id}/sessions`))
        .send({ ...extra, trainerUserId: colleague.id })
        .expect(201);
      expect(added.body).toMatchObject({ trainerUserId: colleague.id, trainerName: null });
    });

    it('should change the trainer with PUT, keep it when left out, and clear it with null', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const sessionId = course.sessions[0].id;

      const named = await putSession(sessionId, { trainerName: 'Jens Jensen' }).expect(200);
      expect(named.body).toMatchObject({ trainerName: 'Jens Jensen', trainerUserId: null });

      const staffTrainer = await putSession(sessionId, { trainerUserId: adminId }).expect(200);
      expect(staffTrainer.body).toMatchObject({ trainerName: null, trainerUserId: adminId });

      const kept = await putSession(sessionId, { location: 'Biblioteket' }).expect(200);
      expect(kept.body).toMatchObject({ location: 'Biblioteket', trainerUserId: adminId });

      const refused = await putSession(sessionId, { trainerUserId: outsider.id }).expect(400);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'trainerUserId', code: 'notATrainer' }),
      ]);

      const cleared = await putSession(sessionId, { trainerUserId: null }).expect(200);
      expect(cleared.body).toMatchObject({ trainerName: null, trainerUserId: null });
      expect((await courseDetail(course.id)).sessions[0]).toMatchObject({
        trainerName: null,
        trainerUserId: null,
      });
    });
  });

  describe('"Mine kursusgange"', () => {
    it('should list the sessions the user teaches, upcoming first, each opening its register', async () => {
      const trainer = await factory.coordinator(branchCode);
      const trainerId = await userId(trainer.email);
      const held = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Holdt kursus',
        sessions: fullCourseSessions(-20),
      });
      const coming = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Kommende kursus',
        sessions: fullCourseSessions(10),
      });
      await putSession(held.sessions[1].id, { trainerUserId: trainerId }).expect(200);
      await putSession(coming.sessions[2].id, { trainerUserId: trainerId }).expect(200);
      await putSession(coming.sessions[0].id, { trainerUserId: trainerId }).expect(200);
      const agent = await signedInAgent(t, trainer.email, COORDINATOR_PASSWORD);

      const page = await agent.get('/staff/my-sessions').expect(200);
      const links = [...page.text.matchAll(/href="\/staff\/sessions\/([0-9a-f-]+)"/g)].map(
        (m) => m[1],
      );
      expect(links).toEqual([coming.sessions[0].id, coming.sessions[2].id, held.sessions[1].id]);
      expect(page.text).toContain('Mine kursusgange');
      await agent.get(`/staff/sessions/${held.sessions[1].id}`).expect(200);
      const none = await (
        await signedInAgent(t, outsider.email, COORDINATOR_PASSWORD)
      )
        .get('/staff/my-sessions')
        .expect(200);
      expect(none.text).toContain('Du er ikke underviser på nogen kursusgang.');
    });
  });

  describe('attendance by the trainer', () => {
    it("should let a session's trainer of another branch take its attendance, and nothing else", async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-2),
      });
      const [taught, other] = course.sessions;
      await putSession(taught.id, { trainerUserId: colleague.id }).expect(200);
      const volunteer = await factory.apply({ branchCode });
      await book(course.id, volunteer.id).expect(201);
      // The trainer moves to another branch after being named: the session stays theirs.
      await t.db.query(
        'UPDATE staff_user SET branch_id = (SELECT id FROM branch WHERE code = $1) WHERE id = $2',
        [otherBranch, colleague.id],
      );
      const records = { records: [{ volunteerId: volunteer.id, present: true }] };

      await as(colleague.token, request(t.http).put(`/api/v1/sessions/${taught.id}/attendance`))
        .send(records)
        .expect(200);
      await as(colleague.token, request(t.http).put(`/api/v1/sessions/${other.id}/attendance`))
        .send(records)
        .expect(404);
      await as(outsider.token, request(t.http).put(`/api/v1/sessions/${taught.id}/attendance`))
        .send(records)
        .expect(404);
      // Teaching a session is no key to the course itself.
      await as(colleague.token, request(t.http).get(`/api/v1/courses/${course.id}`)).expect(404);
      await putSession(taught.id, { location: 'Andetsteds' }, colleague.token).expect(404);
      const present = await t.db.query<{ present: boolean }[]>(
        'SELECT present FROM attendance WHERE session_id = $1 AND volunteer_id = $2',
        [taught.id, volunteer.id],
      );
      expect(present).toEqual([{ present: true }]);
    });
  });
});
