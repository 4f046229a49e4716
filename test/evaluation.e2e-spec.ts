import request from 'supertest';
import { EvaluationScheduler } from '../src/evaluation/evaluation.scheduler';
import { createTestApp, type TestApp } from './app';
import { instantFromToday } from './dates';
import { createCourse, Factory, fullCourseSessions, type SessionPlan } from './factories';
import { signedInAgent, submitForm } from './pages';
import { COORDINATOR_PASSWORD } from './factories';
import { staffRequests } from './staff-requests';

const KEYS = ['readyForVisits', 'knowsBoundaries', 'knowsChildSafety', 'goodTeaching'];
const allScored = (score: number) => Object.fromEntries(KEYS.map((k) => [k, score]));

/** A course whose first session was yesterday and whose others are still ahead. */
const startedSessions = (): SessionPlan[] =>
  fullCourseSessions(7).map((s, i) =>
    i === 0 ? { ...s, startsAt: instantFromToday(-1, 9), endsAt: instantFromToday(-1, 14) } : s,
  );

describe('course evaluation', () => {
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
  afterAll(() => t.close());

  const { staff, book } = staffRequests(() => ({ t, token: coordinator.token }));
  const mine = (portalToken: string) =>
    request(t.http).get('/api/v1/me/evaluations').auth(portalToken, { type: 'bearer' });
  const answer = (portalToken: string, body: object) =>
    request(t.http).post('/api/v1/me/evaluations').auth(portalToken, { type: 'bearer' }).send(body);
  const evaluation = (courseId: string, token = coordinator.token) =>
    request(t.http).get(`/api/v1/courses/${courseId}/evaluation`).auth(token, { type: 'bearer' });

  /** A course with `n` booked volunteers present at its first session (`attended` of them). */
  async function courseWith(sessions: SessionPlan[], n: number, attended = n) {
    const course = await createCourse(t, coordinator.token, { branchCode, sessions });
    const people = await Promise.all(
      Array.from({ length: n }, () => factory.apply({ branchCode })),
    );
    for (const p of people) {
      await book(course.id, p.id).expect(201);
    }
    if (attended > 0) {
      await staff(request(t.http).put(`/api/v1/sessions/${course.sessions[0].id}/attendance`))
        .send({
          records: people.map((p, i) => ({ volunteerId: p.id, present: i < attended })),
        })
        .expect(200);
    }
    return { course, people };
  }

  it('should list the ended courses the volunteer attended, with the statements, until answered', async () => {
    const { course, people } = await courseWith(fullCourseSessions(-10), 2, 1);
    const [attendee, absentee] = people;

    const res = await mine(attendee.portalToken).expect(200);
    expect(res.body).toEqual([
      {
        courseId: course.id,
        title: 'Forberedende kursus',
        answered: false,
        statements: expect.arrayContaining([
          {
            key: 'readyForVisits',
            text: 'Jeg føler mig klædt på til at besøge en familie',
            textEn: 'I feel ready to visit a family',
          },
        ]),
      },
    ]);
    expect(res.body[0].statements.map((s: { key: string }) => s.key)).toEqual(KEYS);
    expect((await mine(absentee.portalToken).expect(200)).body).toEqual([]);

    await answer(attendee.portalToken, { courseId: course.id, answers: allScored(4) }).expect(201);
    expect((await mine(attendee.portalToken).expect(200)).body[0].answered).toBe(true);
  });

  it('should take an evaluation once: 409 after, before the course ended and without attendance', async () => {
    const ended = await courseWith(fullCourseSessions(-10), 2, 1);
    const running = await courseWith(startedSessions(), 1);
    const [attendee, absentee] = ended.people;

    await answer(running.people[0].portalToken, {
      courseId: running.course.id,
      answers: allScored(3),
    }).expect(409);
    await answer(absentee.portalToken, {
      courseId: ended.course.id,
      answers: allScored(3),
    }).expect(409);
    await answer(attendee.portalToken, {
      courseId: ended.course.id,
      answers: allScored(3),
      comment: 'Godt kursus',
    }).expect(201);
    const again = await answer(attendee.portalToken, {
      courseId: ended.course.id,
      answers: allScored(5),
    }).expect(409);
    expect(again.body.message).toContain('You have already evaluated the course.');
    const responses = await t.db.query('SELECT 1 FROM evaluation_response WHERE course_id = $1', [
      ended.course.id,
    ]);
    expect(responses).toHaveLength(1);
    const answers = await t.db.query('SELECT 1 FROM evaluation_answer WHERE course_id = $1', [
      ended.course.id,
    ]);
    expect(answers).toHaveLength(KEYS.length);
  });

  it('should want every statement scored 1..5, naming the statement, and only known statements', async () => {
    const { course, people } = await courseWith(fullCourseSessions(-10), 1);
    const token = people[0].portalToken;
    const fields = async (answers: object) =>
      (
        (await answer(token, { courseId: course.id, answers }).expect(400)).body.errors as {
          field: string;
        }[]
      ).map((e) => e.field);

    const { goodTeaching: _left, ...missingOne } = allScored(4);
    expect(await fields(missingOne)).toEqual(['answers.goodTeaching']);
    expect(await fields({ ...allScored(4), readyForVisits: 6 })).toEqual([
      'answers.readyForVisits',
    ]);
    expect(await fields({ ...allScored(4), knowsBoundaries: 2.5 })).toEqual([
      'answers.knowsBoundaries',
    ]);
    expect(await fields({ ...allScored(4), weather: 5 })).toEqual(['answers.weather']);
    const noAnswers = await answer(token, { courseId: course.id }).expect(400);
    expect(noAnswers.body.errors).toEqual([expect.objectContaining({ field: 'answers' })]);
    expect(
      await t.db.query('SELECT 1 FROM evaluation_response WHERE course_id = $1', [course.id]),
    ).toHaveLength(0);
  });

  it('should show no averages and no comments from 2 answers, and both from 3', async () => {
    const { course, people } = await courseWith(fullCourseSessions(-10), 3);
    await answer(people[0].portalToken, {
      courseId: course.id,
      answers: allScored(5),
      comment: 'Meget lærerigt',
    }).expect(201);
    await answer(people[1].portalToken, { courseId: course.id, answers: allScored(4) }).expect(201);

    const two = await evaluation(course.id).expect(200);
    const beforeThird = await (
      await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD)
    )
      .get(`/staff/courses/${course.id}`)
      .expect(200);
    expect(beforeThird.text).toContain('Vises fra 3 svar');
    expect(beforeThird.text).not.toContain('Meget lærerigt');
    expect(two.body).toEqual({
      responses: 2,
      statements: KEYS.map((key) => ({
        key,
        text: expect.any(String),
        textEn: expect.any(String),
        average: null,
      })),
      comments: [],
    });

    await answer(people[2].portalToken, {
      courseId: course.id,
      answers: { ...allScored(3), goodTeaching: 5 },
      comment: 'For lange dage',
    }).expect(201);
    const three = await evaluation(course.id).expect(200);
    expect(three.body.responses).toBe(3);
    expect(
      Object.fromEntries(
        three.body.statements.map((s: { key: string; average: number }) => [s.key, s.average]),
      ),
    ).toEqual({ readyForVisits: 4, knowsBoundaries: 4, knowsChildSafety: 4, goodTeaching: 4.67 });
    expect([...three.body.comments].sort()).toEqual(['For lange dage', 'Meget lærerigt']);

    // Nothing on disk ties a person to their scores: every answer and comment of the
    // course was rewritten by the last submission, so none shares a transaction id (xmin)
    // with an earlier person's "answered" mark, and all share the last one's.
    const ids = await t.db.query<{ kind: string; xmin: string }[]>(
      `SELECT 'answer' AS kind, xmin::text AS xmin FROM evaluation_answer WHERE course_id = $1
       UNION ALL SELECT 'comment', xmin::text FROM evaluation_comment WHERE course_id = $1
       UNION ALL SELECT 'response', xmin::text FROM evaluation_response WHERE course_id = $1`,
      [course.id],
    );
    const answerIds = new Set(ids.filter((r) => r.kind !== 'response').map((r) => r.xmin));
    expect(ids.filter((r) => r.kind === 'answer')).toHaveLength(3 * KEYS.length);
    expect(answerIds.size).toBe(1);
    const responseIds = ids.filter((r) => r.kind === 'response').map((r) => r.xmin);
    expect(responseIds.filter((x) => answerIds.has(x))).toHaveLength(1);

    const other = await factory.coordinator(await factory.branch());
    await evaluation(course.id, other.token).expect(404);
    const staffPage = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const shown = await staffPage.get(`/staff/courses/${course.id}`).expect(200);
    // A Danish page: a decimal comma.
    expect(shown.text).toMatch(/>Undervisningen var god<\/td><td [^>]*>4,67<\/td>/);
    expect(shown.text).toContain('<li>Meget lærerigt</li>');
    const year = new Date(course.sessions[3].startsAt).getUTCFullYear();
    const yearPage = await staffPage.get(`/staff/evaluations?year=${year}`).expect(200);
    expect(yearPage.text).toContain(`href="/staff/courses/${course.id}"`);
    expect(yearPage.text).toMatch(/>Undervisningen var god<\/td><td [^>]*>4,67<\/td>/);
    const elsewhere = await signedInAgent(t, other.email, COORDINATOR_PASSWORD);
    const otherYear = await elsewhere.get(`/staff/evaluations?year=${year}`).expect(200);
    expect(otherYear.text).not.toContain(course.id);
    await request(t.http)
      .get(`/api/v1/courses/${course.id}/evaluation`)
      .auth(people[0].portalToken, { type: 'bearer' })
      .expect(401);
  });

  it('should mail each attendee of a lately ended course once, and nobody who answered or was absent', async () => {
    const { people } = await courseWith(fullCourseSessions(-10), 3, 2);
    const [asked, answered, absent] = people;
    const old = await courseWith(fullCourseSessions(-40), 1);
    await answer(answered.portalToken, {
      courseId: (await mine(answered.portalToken).expect(200)).body[0].courseId,
      answers: allScored(4),
    }).expect(201);
    const scheduler = t.app.get(EvaluationScheduler);

    await scheduler.queueInvitations();
    await scheduler.queueInvitations();

    const templatesTo = async (email: string) =>
      (
        await t.db.query<{ template: string; subject: string }[]>(
          `SELECT template, subject FROM outbox_message
            WHERE recipient = $1 AND template = 'evaluation'`,
          [email],
        )
      ).map((m) => m.subject);
    expect(await templatesTo(asked.email)).toEqual(['Hvordan var Forberedende kursus?']);
    expect(await templatesTo(answered.email)).toEqual([]);
    expect(await templatesTo(absent.email)).toEqual([]);
    expect(await templatesTo(old.people[0].email)).toEqual([]);
  });

  it('should offer "Evaluér kurset" on the personal page, keep a refused form, and take it once', async () => {
    const { course, people } = await courseWith(fullCourseSessions(-10), 1);
    const page = `/v/${people[0].portalToken}`;
    const agent = request.agent(t.http);
    const before = await agent.get(page).expect(200);
    expect(before.text).toContain('Evaluér kurset');
    expect(before.text).toContain('Jeg føler mig klædt på til at besøge en familie');

    const scored = Object.fromEntries(KEYS.map((k) => [k, '4']));
    const { goodTeaching: _left, ...missingOne } = scored;
    const refused = await submitForm(agent, page, `${page}/evaluations`, {
      courseId: course.id,
      ...missingOne,
      comment: 'Rart',
    });
    expect(refused).toBe(`${page}#evaluation`);
    const again = await agent.get(page).expect(200);
    expect(again.text).toContain('Vælg et tal fra 1 til 5');
    expect(again.text).toContain('>Rart</textarea>');
    expect(again.text).toMatch(/name="readyForVisits" value="4" checked/);

    await submitForm(agent, page, `${page}/evaluations`, {
      courseId: course.id,
      ...scored,
      comment: 'Rart',
    });
    const after = await agent.get(page).expect(200);
    expect(after.text).toContain('Tak for din evaluering.');
    expect(after.text).not.toContain('Evaluér kurset');
    expect((await mine(people[0].portalToken).expect(200)).body[0].answered).toBe(true);
  });

  it('should keep no column in the answers that leads back to a volunteer', async () => {
    const columns = await t.db.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_name IN ('evaluation_answer', 'evaluation_comment')
        ORDER BY table_name, ordinal_position`,
    );
    expect(columns).toEqual([
      { table_name: 'evaluation_answer', column_name: 'id' },
      { table_name: 'evaluation_answer', column_name: 'course_id' },
      { table_name: 'evaluation_answer', column_name: 'statement_key' },
      { table_name: 'evaluation_answer', column_name: 'score' },
      { table_name: 'evaluation_comment', column_name: 'id' },
      { table_name: 'evaluation_comment', column_name: 'course_id' },
      { table_name: 'evaluation_comment', column_name: 'comment' },
    ]);
    const references = await t.db.query<{ target: string }[]>(
      `SELECT confrelid::regclass::text AS target FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text IN ('evaluation_answer', 'evaluation_comment')`,
    );
    expect(references.map((r) => r.target)).toEqual(['course', 'course']);
    const response = await t.db.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'evaluation_response' ORDER BY ordinal_position`,
    );
    // No time and nothing but the pair: "answered" is all that is kept per person.
    expect(response.map((c) => c.column_name)).toEqual(['volunteer_id', 'course_id']);
  });
});
