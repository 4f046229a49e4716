import request from 'supertest';
import { DateTime } from 'luxon';
import { extractText, getDocumentProxy } from 'unpdf';
import { loadConfig } from '../src/config/env';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { csrfIn, signedInAgent, submitForm } from './pages';
import { staffRequests } from './staff-requests';

type Agent = Awaited<ReturnType<typeof signedInAgent>>;

const localInput = (iso: string) =>
  DateTime.fromISO(iso).setZone('Europe/Copenhagen').toFormat("yyyy-MM-dd'T'HH:mm");

describe('learning: the finishing pieces', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let otherBranch: string;
  let coordinator: { email: string; token: string; id: string };
  let colleague: { email: string; token: string; id: string };
  let outsider: { email: string; token: string; id: string };
  let adminId: string;
  let agent: Agent;

  const userId = async (email: string) =>
    (await t.db.query<{ id: string }[]>('SELECT id FROM staff_user WHERE email = $1', [email]))[0]
      .id;
  const named = async (c: { email: string; token: string }, name: string) => {
    const id = await userId(c.email);
    await t.db.query('UPDATE staff_user SET name = $1 WHERE id = $2', [name, id]);
    return { ...c, id };
  };
  const trainerOf = async (sessionId: string) =>
    (
      await t.db.query<{ trainerName: string | null; trainerUserId: string | null }[]>(
        `SELECT trainer_name AS "trainerName", trainer_user_id AS "trainerUserId"
           FROM course_session WHERE id = $1`,
        [sessionId],
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    otherBranch = await factory.branch();
    coordinator = await named(await factory.coordinator(branchCode), 'Karen Koordinator');
    colleague = await named(await factory.coordinator(branchCode), 'Kirsten Kollega');
    outsider = await named(await factory.coordinator(otherBranch), 'Ole Udenfor');
    adminId = await userId(ADMIN_EMAIL);
    agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
  });
  afterAll(() => t.close());

  const { book } = staffRequests(() => ({ t, token: coordinator.token }));
  const options = (html: string, selectId: string) => {
    const select = new RegExp(`<select id="${selectId}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
    if (!select) {
      throw new Error(`No select ${selectId} on the page`);
    }
    return [...select[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
  };

  describe('trainer choice on the staff pages', () => {
    it("should offer the branch's coordinators and the admins on the new-course form, and save the choice", async () => {
      const page = await agent.get('/staff/courses/new').expect(200);
      const offered = options(page.text, 'f-course-sessions-0-trainerUserId');
      expect(offered).toEqual(expect.arrayContaining(['', coordinator.id, colleague.id, adminId]));
      expect(offered).not.toContain(outsider.id);
      expect(page.text).toContain('Underviser');

      const sessions = fullCourseSessions(30);
      const fields: Record<string, string> = {
        branchCode,
        title: 'Kursus med undervisere',
        capacity: '10',
      };
      sessions.forEach((s, i) => {
        fields[`sessions[${i}][startsAt]`] = localInput(s.startsAt);
        fields[`sessions[${i}][endsAt]`] = localInput(s.endsAt);
        fields[`sessions[${i}][location]`] = s.location;
        fields[`sessions[${i}][topics]`] = s.topics[0];
      });
      // Someone of another branch is refused on the session's own field, the input kept.
      const refused = await submitForm(agent, '/staff/courses/new', '/staff/courses', {
        ...fields,
        'sessions[0][trainerUserId]': outsider.id,
        'sessions[1][trainerName]': 'Jens Jensen',
      });
      expect(refused).toBe('/staff/courses/new');
      const again = await agent.get('/staff/courses/new').expect(200);
      expect(again.text).toContain(
        'Underviseren skal være koordinator i kursets lokalafdeling eller administrator',
      );
      expect(again.text).toMatch(/name="sessions\[1\]\[trainerName\]" value="Jens Jensen"/);

      const created = await submitForm(agent, '/staff/courses/new', '/staff/courses', {
        ...fields,
        'sessions[0][trainerUserId]': colleague.id,
        'sessions[1][trainerName]': 'Jens Jensen',
      });
      const courseId = /^\/staff\/courses\/([0-9a-f-]{36})$/.exec(created)![1];
      const ids = (
        await t.db.query<{ id: string }[]>(
          'SELECT id FROM course_session WHERE course_id = $1 ORDER BY starts_at',
          [courseId],
        )
      ).map((r) => r.id);
      expect(await trainerOf(ids[0])).toEqual({ trainerName: null, trainerUserId: colleague.id });
      expect(await trainerOf(ids[1])).toEqual({ trainerName: 'Jens Jensen', trainerUserId: null });
      expect(await trainerOf(ids[2])).toEqual({ trainerName: null, trainerUserId: null });
      const shown = await agent.get(`/staff/courses/${courseId}`).expect(200);
      expect(shown.text).toContain('Kirsten Kollega');
      expect(shown.text).toContain('Jens Jensen');
    });

    it('should take a trainer on the add-session form, refusing both kinds at once', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const page = `/staff/courses/${course.id}`;
      const shown = await agent.get(page).expect(200);
      expect(options(shown.text, 'f-sessionAdd-trainerUserId')).toEqual(
        expect.arrayContaining([colleague.id, adminId]),
      );
      const extra = fullCourseSessions(40)[0];
      const fields = {
        startsAt: localInput(extra.startsAt),
        endsAt: localInput(extra.endsAt),
        location: 'Biblioteket',
        topics: 'relations',
      };
      const count = async () =>
        (
          await t.db.query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM course_session WHERE course_id = $1',
            [course.id],
          )
        )[0].n;

      expect(
        await submitForm(agent, page, `${page}/sessions`, {
          ...fields,
          trainerUserId: colleague.id,
          trainerName: 'Eva Ekstern',
        }),
      ).toBe(page);
      const refused = await agent.get(page).expect(200);
      expect(refused.text).toContain(
        'Vælg en underviser fra listen eller skriv et navn, ikke begge',
      );
      expect(refused.text).toMatch(/name="trainerName" value="Eva Ekstern"/);
      expect(await count()).toBe(4);

      await submitForm(agent, page, `${page}/sessions`, { ...fields, trainerUserId: adminId });
      expect(await count()).toBe(5);
      const added = await t.db.query<{ trainerUserId: string }[]>(
        `SELECT trainer_user_id AS "trainerUserId" FROM course_session
          WHERE course_id = $1 AND location = 'Biblioteket'`,
        [course.id],
      );
      expect(added).toEqual([{ trainerUserId: adminId }]);
    });

    it('should change, refuse and clear the trainer on the session form, shown on the session and personal pages', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const volunteer = await factory.apply({ branchCode });
      await book(course.id, volunteer.id).expect(201);
      const session = course.sessions[0];
      const page = `/staff/sessions/${session.id}`;
      const base = {
        startsAt: localInput(session.startsAt),
        endsAt: localInput(DateTime.fromISO(session.startsAt).plus({ hours: 5 }).toISO()!),
        location: 'Frivillighuset, Nørrebrogade 1',
        topics: session.topics[0],
      };

      await submitForm(agent, page, page, { ...base, trainerName: 'Eva Ekstern' });
      expect(await trainerOf(session.id)).toEqual({
        trainerName: 'Eva Ekstern',
        trainerUserId: null,
      });
      const shown = await agent.get(page).expect(200);
      expect(shown.text).toContain('Underviser: Eva Ekstern');
      const portal = await request(t.http).get(`/v/${volunteer.portalToken}`).expect(200);
      expect(portal.text).toContain('underviser: Eva Ekstern');

      expect(await submitForm(agent, page, page, { ...base, trainerUserId: outsider.id })).toBe(
        page,
      );
      const refused = await agent.get(page).expect(200);
      expect(refused.text).toContain(
        'Underviseren skal være koordinator i kursets lokalafdeling eller administrator',
      );
      expect(await trainerOf(session.id)).toEqual({
        trainerName: 'Eva Ekstern',
        trainerUserId: null,
      });

      await submitForm(agent, page, page, { ...base, trainerUserId: colleague.id });
      expect(await trainerOf(session.id)).toEqual({
        trainerName: null,
        trainerUserId: colleague.id,
      });
      const staffTrainer = await agent.get(page).expect(200);
      expect(staffTrainer.text).toContain('Underviser: Kirsten Kollega');
      expect(staffTrainer.text).toMatch(new RegExp(`<option value="${colleague.id}" selected>`));

      await submitForm(agent, page, page, base);
      expect(await trainerOf(session.id)).toEqual({ trainerName: null, trainerUserId: null });
    });
  });

  describe('the session page for a trainer of another branch', () => {
    it('should open the register and take attendance, while the rest of the course and other staff get 404', async () => {
      const trainer = await named(await factory.coordinator(branchCode), 'Tove Træner');
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-2),
      });
      const [taught, other] = course.sessions;
      await request(t.http)
        .put(`/api/v1/sessions/${taught.id}`)
        .auth(coordinator.token, { type: 'bearer' })
        .send({ trainerUserId: trainer.id })
        .expect(200);
      const volunteer = await factory.apply({ branchCode, firstName: 'Vera' });
      await book(course.id, volunteer.id).expect(201);
      // Named while a coordinator here, then moved: the session stays theirs.
      await t.db.query(
        'UPDATE staff_user SET branch_id = (SELECT id FROM branch WHERE code = $1) WHERE id = $2',
        [otherBranch, trainer.id],
      );
      const trainerAgent = await signedInAgent(t, trainer.email, COORDINATOR_PASSWORD);

      const mine = await trainerAgent.get('/staff/my-sessions').expect(200);
      expect(mine.text).toContain(`href="/staff/sessions/${taught.id}"`);
      const page = await trainerAgent.get(`/staff/sessions/${taught.id}`).expect(200);
      expect(page.text).toContain('Vera');
      expect(page.text).toContain('href="/staff/my-sessions"');
      // The register only: no link into the course, no changes, no materials.
      expect(page.text).not.toContain(`href="/staff/courses/${course.id}"`);
      expect(page.text).not.toContain(`action="/staff/sessions/${taught.id}/cancel"`);
      expect(page.text).not.toContain(`action="/staff/sessions/${taught.id}"`);
      expect(page.text).not.toContain('id="materials"');

      const saved = await trainerAgent
        .post(`/staff/sessions/${taught.id}/attendance`)
        .type('form')
        .send(
          new URLSearchParams([
            ['_csrf', csrfIn(page.text)],
            ['participants', volunteer.id],
            ['present', volunteer.id],
          ]).toString(),
        )
        .expect(303);
      expect(saved.headers.location).toBe(`/staff/sessions/${taught.id}`);
      expect(
        await t.db.query('SELECT present FROM attendance WHERE session_id = $1', [taught.id]),
      ).toEqual([{ present: true }]);
      const after = await trainerAgent.get(`/staff/sessions/${taught.id}`).expect(200);
      expect(after.text).toMatch(new RegExp(`value="${volunteer.id}" checked`));

      await trainerAgent.get(`/staff/sessions/${other.id}`).expect(404);
      await trainerAgent.get(`/staff/courses/${course.id}`).expect(404);
      await trainerAgent.get(`/staff/courses/${course.id}/attendance`).expect(404);
      const outsiderAgent = await signedInAgent(t, outsider.email, COORDINATOR_PASSWORD);
      await outsiderAgent.get(`/staff/sessions/${taught.id}`).expect(404);
      // Staff of the branch still get the whole page.
      const full = await agent.get(`/staff/sessions/${taught.id}`).expect(200);
      expect(full.text).toContain(`href="/staff/courses/${course.id}"`);
      expect(full.text).toContain('id="materials"');
      expect(full.text).toContain('Underviser: Tove Træner');
      // Their own trainer stays chosen on the form and is kept when the session changes.
      expect(full.text).toMatch(new RegExp(`<option value="${trainer.id}" selected>`));
      await submitForm(agent, `/staff/sessions/${taught.id}`, `/staff/sessions/${taught.id}`, {
        startsAt: localInput(taught.startsAt),
        endsAt: localInput(DateTime.fromISO(taught.startsAt).plus({ hours: 5 }).toISO()!),
        location: 'Andetsteds',
        topics: taught.topics[0],
        trainerUserId: trainer.id,
        trainerName: '',
      });
      expect(await trainerOf(taught.id)).toEqual({ trainerName: null, trainerUserId: trainer.id });
      expect(
        await t.db.query('SELECT location FROM course_session WHERE id = $1', [taught.id]),
      ).toEqual([{ location: 'Andetsteds' }]);
    });
  });

  describe('the evaluation form on the personal page', () => {
    const KEYS = ['readyForVisits', 'knowsBoundaries', 'knowsChildSafety', 'goodTeaching'];

    /** A volunteer present at the first session of a course that has ended. */
    async function attendee() {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        sessions: fullCourseSessions(-10),
      });
      const volunteer = await factory.apply({ branchCode });
      await book(course.id, volunteer.id).expect(201);
      await request(t.http)
        .put(`/api/v1/sessions/${course.sessions[0].id}/attendance`)
        .auth(coordinator.token, { type: 'bearer' })
        .send({ records: [{ volunteerId: volunteer.id, present: true }] })
        .expect(200);
      return { course, volunteer };
    }

    it('should check it on the server: every statement, 1..5, the comment, each message by its field, input kept', async () => {
      const { course, volunteer } = await attendee();
      const page = `/v/${volunteer.portalToken}`;
      const visitor = request.agent(t.http);
      const before = await visitor.get(page).expect(200);
      expect(before.text).toMatch(/<form method="post" action="[^"]+\/evaluations" novalidate>/);

      const back = await submitForm(visitor, page, `${page}/evaluations`, {
        courseId: course.id,
        readyForVisits: '4',
        knowsBoundaries: '7',
        goodTeaching: '2',
        comment: 'Rart at være med. '.repeat(120),
      });
      expect(back).toBe(`${page}#evaluation`);
      const html = (await visitor.get(page).expect(200)).text;
      const form = `f-evaluate-${course.id}`;
      const errorOf = (field: string) =>
        new RegExp(`<p class="error" id="${form}-${field}-error">([^<]*)</p>`).exec(html)?.[1];
      expect(errorOf('answers-knowsBoundaries')).toBe('Vælg et tal fra 1 til 5');
      expect(errorOf('answers-knowsChildSafety')).toBe('Vælg et tal fra 1 til 5');
      expect(errorOf('answers-readyForVisits')).toBeUndefined();
      expect(errorOf('comment')).toBe('Kommentaren må højst have 2000 tegn');
      // Each group points to its message, and the summary links to the group.
      expect(html).toContain(
        `id="${form}-answers-knowsChildSafety" aria-describedby="${form}-answers-knowsChildSafety-error"`,
      );
      expect(html).toContain(`href="#${form}-answers-knowsBoundaries"`);
      // What was given is kept.
      expect(html).toMatch(/name="readyForVisits" value="4" checked/);
      expect(html).toMatch(/name="goodTeaching" value="2" checked/);
      expect(html).toContain('Rart at være med. Rart at være med.');
      const stored = await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM evaluation_response WHERE course_id = $1',
        [course.id],
      );
      expect(stored).toEqual([{ n: 0 }]);

      // In English, the English half.
      await visitor.get('/lang?lang=en&next=/').expect(303);
      await submitForm(visitor, page, `${page}/evaluations`, { courseId: course.id });
      const english = (await visitor.get(page).expect(200)).text;
      expect(english).toContain('Choose a number from 1 to 5');
      expect(english).not.toContain('Vælg et tal');

      await submitForm(visitor, page, `${page}/evaluations`, {
        courseId: course.id,
        ...Object.fromEntries(KEYS.map((k) => [k, '5'])),
        comment: 'Godt',
      });
      expect(
        await t.db.query(
          'SELECT count(*)::int AS n FROM evaluation_response WHERE course_id = $1',
          [course.id],
        ),
      ).toEqual([{ n: 1 }]);
    });
  });

  describe("evaluation figures in the reader's language", () => {
    it('should print averages with a comma on Danish pages and a dot on English ones, and give textEn in the JSON', async () => {
      const course = await createCourse(t, coordinator.token, {
        branchCode,
        title: 'Evalueret kursus',
        sessions: fullCourseSessions(-10),
      });
      const people = [];
      for (let i = 0; i < 3; i++) {
        const volunteer = await factory.apply({ branchCode });
        await book(course.id, volunteer.id).expect(201);
        people.push(volunteer);
      }
      await request(t.http)
        .put(`/api/v1/sessions/${course.sessions[0].id}/attendance`)
        .auth(coordinator.token, { type: 'bearer' })
        .send({ records: people.map((p) => ({ volunteerId: p.id, present: true })) })
        .expect(200);
      const mine = await request(t.http)
        .get('/api/v1/me/evaluations')
        .auth(people[0].portalToken, { type: 'bearer' })
        .expect(200);
      expect(mine.body[0].statements[0]).toEqual({
        key: 'readyForVisits',
        text: 'Jeg føler mig klædt på til at besøge en familie',
        textEn: 'I feel ready to visit a family',
      });
      // 5, 5 and 4: an average of 4.67 on every statement.
      for (const [i, p] of people.entries()) {
        const score = i < 2 ? 5 : 4;
        await request(t.http)
          .post('/api/v1/me/evaluations')
          .auth(p.portalToken, { type: 'bearer' })
          .send({
            courseId: course.id,
            answers: {
              readyForVisits: score,
              knowsBoundaries: score,
              knowsChildSafety: score,
              goodTeaching: score,
            },
          })
          .expect(201);
      }
      const figures = await request(t.http)
        .get(`/api/v1/courses/${course.id}/evaluation`)
        .auth(coordinator.token, { type: 'bearer' })
        .expect(200);
      expect(figures.body.statements[3]).toEqual({
        key: 'goodTeaching',
        text: 'Undervisningen var god',
        textEn: 'The teaching was good',
        average: 4.67,
      });

      const staffAgent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
      const year = DateTime.fromISO(course.sessions[3].startsAt).setZone('Europe/Copenhagen').year;
      for (const page of [`/staff/courses/${course.id}`, `/staff/evaluations?year=${year}`]) {
        const danish = (await staffAgent.get(page).expect(200)).text;
        expect(danish).toContain('Undervisningen var god</td><td data-label="Gennemsnit');
        expect(danish).toMatch(/>4,67<\/td>/);
        expect(danish).not.toContain('4.67');
      }
      await staffAgent.get('/lang?lang=en&next=/').expect(303);
      for (const page of [`/staff/courses/${course.id}`, `/staff/evaluations?year=${year}`]) {
        const english = (await staffAgent.get(page).expect(200)).text;
        expect(english).toContain('The teaching was good</td>');
        expect(english).toMatch(/>4\.67<\/td>/);
        expect(english).not.toContain('4,67');
      }
    });
  });

  describe('renaming and deleting materials', () => {
    let adminToken: string;
    beforeAll(async () => {
      adminToken = await factory.admin();
    });

    const upload = (token: string, fields: Record<string, string>) => {
      let req = request(t.http).post('/api/v1/materials').auth(token, { type: 'bearer' });
      for (const [k, v] of Object.entries(fields)) {
        req = req.field(k, v);
      }
      return req.attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'fil.pdf').expect(201);
    };
    const patch = (token: string, id: string, body: object) =>
      request(t.http).patch(`/api/v1/materials/${id}`).auth(token, { type: 'bearer' }).send(body);
    const remove = (token: string, id: string) =>
      request(t.http).delete(`/api/v1/materials/${id}`).auth(token, { type: 'bearer' });
    const left = async (id: string) =>
      (
        await t.db.query<
          { materials: number; versions: number; chunks: number; confirmations: number }[]
        >(
          `SELECT (SELECT count(*)::int FROM material WHERE id = $1) AS materials,
                  (SELECT count(*)::int FROM material_version WHERE material_id = $1) AS versions,
                  (SELECT count(*)::int FROM material_chunk c JOIN material_version v ON v.id = c.version_id
                    WHERE v.material_id = $1) AS chunks,
                  (SELECT count(*)::int FROM material_confirmation WHERE material_id = $1) AS confirmations`,
          [id],
        )
      )[0];
    const audited = async (id: string) =>
      (
        await t.db.query<{ action: string }[]>(
          `SELECT action FROM audit_event WHERE details->>'materialId' = $1 ORDER BY id`,
          [id],
        )
      ).map((r) => r.action);

    it("should let an admin rename a topic material and delete it with its versions and volunteers' confirmations", async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const volunteer = await factory.apply({ branchCode });
      await book(course.id, volunteer.id).expect(201);
      const created = await upload(adminToken, {
        title: 'Politikken',
        topic: 'child_safety',
        requiresConfirmation: 'true',
      });
      const id = created.body.id as string;
      await request(t.http)
        .post(`/api/v1/materials/${id}/versions`)
        .auth(adminToken, { type: 'bearer' })
        .attach('file', Buffer.from('%PDF-1.5\n%%EOF\n'), 'v2.pdf')
        .expect(201);
      await request(t.http)
        .post(`/api/v1/me/materials/${id}/confirm`)
        .auth(volunteer.portalToken, { type: 'bearer' })
        .expect(201);

      await patch(coordinator.token, id, { title: 'Mit navn' }).expect(403);
      const refused = await patch(adminToken, id, { title: null }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'title' })]);
      await patch(adminToken, id, { title: '' }).expect(400);
      const renamed = await patch(adminToken, id, { title: 'Børnesikkerhedspolitikken' }).expect(
        200,
      );
      expect(renamed.body).toMatchObject({
        id,
        title: 'Børnesikkerhedspolitikken',
        topic: 'child_safety',
        requiresConfirmation: true,
        version: 2,
      });
      const unconfirmed = await patch(adminToken, id, { requiresConfirmation: false }).expect(200);
      expect(unconfirmed.body).toMatchObject({
        title: 'Børnesikkerhedspolitikken',
        requiresConfirmation: false,
      });
      expect(await left(id)).toEqual({ materials: 1, versions: 2, chunks: 2, confirmations: 1 });

      await remove(coordinator.token, id).expect(403);
      await remove(adminToken, id).expect(204);
      expect(await left(id)).toEqual({ materials: 0, versions: 0, chunks: 0, confirmations: 0 });
      await remove(adminToken, id).expect(404);
      await patch(adminToken, id, { title: 'Igen' }).expect(404);
      expect(await audited(id)).toEqual([
        'material.created',
        'material.version_added',
        'material.confirmed',
        'material.updated',
        'material.updated',
        'material.deleted',
      ]);
      const mine = await request(t.http)
        .get('/api/v1/me/materials')
        .auth(volunteer.portalToken, { type: 'bearer' })
        .expect(200);
      expect(mine.body.map((m: { id: string }) => m.id)).not.toContain(id);
    });

    it("should let the branch's coordinator rename and delete a session's material, and nobody of another branch", async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const created = await upload(coordinator.token, {
        title: 'Slides',
        sessionId: course.sessions[0].id,
      });
      const id = created.body.id as string;

      await patch(outsider.token, id, { title: 'Udefra' }).expect(404);
      await remove(outsider.token, id).expect(404);
      const renamed = await patch(colleague.token, id, { title: 'Slides til aftenen' }).expect(200);
      expect(renamed.body).toMatchObject({
        title: 'Slides til aftenen',
        requiresConfirmation: false,
      });
      await remove(colleague.token, id).expect(204);
      expect(await left(id)).toEqual({ materials: 0, versions: 0, chunks: 0, confirmations: 0 });
    });

    it('should rename on the page, keeping a refused title by its field, and delete only after asking', async () => {
      const course = await createCourse(t, coordinator.token, { branchCode });
      const sessionPage = `/staff/sessions/${course.sessions[0].id}`;
      const id = (
        await upload(coordinator.token, { title: 'Vejen', sessionId: course.sessions[0].id })
      ).body.id as string;
      const title = async () =>
        (await t.db.query<{ title: string }[]>('SELECT title FROM material WHERE id = $1', [id]))[0]
          ?.title;

      const back = `${sessionPage}#materials`;
      expect(
        await submitForm(agent, sessionPage, `/staff/materials/${id}`, { back, title: '  ' }),
      ).toBe(back);
      const refused = (await agent.get(sessionPage).expect(200)).text;
      expect(refused).toContain(`id="f-material-${id}-title-error"`);
      expect(refused).toMatch(/<details class="material-edit" open>/);
      expect(await title()).toBe('Vejen');

      await submitForm(agent, sessionPage, `/staff/materials/${id}`, {
        back,
        title: 'Vejen til huset',
      });
      expect(await title()).toBe('Vejen til huset');
      const shown = (await agent.get(sessionPage).expect(200)).text;
      expect(shown).toContain('Vejen til huset</a>');
      expect(shown).toContain(`href="/staff/materials/${id}/delete"`);

      // The link asks first; nothing is deleted by opening it.
      const ask = await agent.get(`/staff/materials/${id}/delete`).expect(200);
      expect(ask.text).toContain('Slet materiale: Vejen til huset');
      expect(ask.text).toContain('Det kan ikke fortrydes.');
      expect(await title()).toBe('Vejen til huset');
      const outsiderAgent = await signedInAgent(t, outsider.email, COORDINATOR_PASSWORD);
      await outsiderAgent.get(`/staff/materials/${id}/delete`).expect(404);

      const done = await submitForm(
        agent,
        `/staff/materials/${id}/delete`,
        `/staff/materials/${id}/delete`,
        { back },
      );
      expect(done).toBe(back);
      expect(await title()).toBeUndefined();
      expect((await agent.get(sessionPage).expect(200)).text).toContain('Materialet er slettet.');
    });

    it("should change a topic material's confirmation from /staff/materials", async () => {
      const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      const id = (
        await upload(adminToken, {
          title: 'Rammerne',
          topic: 'frameworks',
          requiresConfirmation: 'true',
        })
      ).body.id as string;
      const page = (await admin.get('/staff/materials').expect(200)).text;
      expect(page).toMatch(new RegExp(`action="/staff/materials/${id}" novalidate`));
      // The box left unticked: no confirmation asked any longer.
      await submitForm(admin, '/staff/materials', `/staff/materials/${id}`, {
        back: '/staff/materials',
        title: 'Organisationens rammer',
        confirmable: 'on',
      });
      expect(
        await t.db.query(
          'SELECT title, requires_confirmation AS "requiresConfirmation" FROM material WHERE id = $1',
          [id],
        ),
      ).toEqual([{ title: 'Organisationens rammer', requiresConfirmation: false }]);
      await remove(adminToken, id).expect(204);
    });
  });

  describe('ORGANISATION_NAME', () => {
    it('should be a validated setting, HOME-START unless set', () => {
      expect(loadConfig({}).organisationName).toBe('HOME-START');
      expect(
        loadConfig({ ORGANISATION_NAME: ' Home-Start Familiekontakt ' }).organisationName,
      ).toBe('Home-Start Familiekontakt');
      expect(loadConfig({ ORGANISATION_NAME: '' }).organisationName).toBe('HOME-START');
      for (const bad of ['Home\nStart', '   ', 'x'.repeat(101), 'Home\u202EStart']) {
        expect(() => loadConfig({ ORGANISATION_NAME: bad })).toThrow(/ORGANISATION_NAME/);
      }
    });

    it('should name the set organisation on the course certificate', async () => {
      const other = await createTestApp({
        env: { ORGANISATION_NAME: 'Home-Start Familiekontakt Danmark' },
      });
      try {
        const f = new Factory(other);
        const code = await f.branch();
        const staffer = await f.coordinator(code);
        const course = await createCourse(other, staffer.token, {
          branchCode: code,
          sessions: fullCourseSessions(-20),
        });
        const person = await f.apply({ branchCode: code });
        await request(other.http)
          .post(`/api/v1/courses/${course.id}/bookings`)
          .auth(staffer.token, { type: 'bearer' })
          .send({ volunteerId: person.id })
          .expect(201);
        for (const s of course.sessions) {
          await request(other.http)
            .put(`/api/v1/sessions/${s.id}/attendance`)
            .auth(staffer.token, { type: 'bearer' })
            .send({ records: [{ volunteerId: person.id, present: true }] })
            .expect(200);
        }
        const res = await request(other.http)
          .get(`/api/v1/me/certificates/${course.id}`)
          .auth(person.portalToken, { type: 'bearer' })
          .buffer(true)
          .parse((r, done) => {
            const chunks: Buffer[] = [];
            r.on('data', (chunk: Buffer) => chunks.push(chunk));
            r.on('end', () => done(null, Buffer.concat(chunks)));
          })
          .expect(200);
        const pdf = await getDocumentProxy(new Uint8Array(res.body as Buffer));
        const { text } = await extractText(pdf, { mergePages: true });
        expect(text.replace(/\s+/g, ' ')).toContain('Home-Start Familiekontakt Danmark');
      } finally {
        await other.close();
      }
    });
  });
});
