import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import request from 'supertest';
import { isExtra } from '../src/readiness/readiness';
import { ReadinessService } from '../src/readiness/readiness.service';
import { Volunteer } from '../src/volunteers/volunteer.entity';
import { WorkspaceRepository } from '../src/workspace/workspace.repository';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { mailsTo } from './links';
import { signedInAgent, submitForm } from './pages';

/**
 * Extra requirements (issue 15 part 4) and a reading confirmation as a requirement
 * (issue 13), over HTTP on a real database. Requirements are for everyone and are never
 * removed, so the tests run in order and each adds to what the earlier ones defined.
 */
const today = () => DateTime.now().setZone('Europe/Copenhagen').startOf('day');
let serial = 0;

function pdfSaying(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const parts: Buffer[] = [];
    doc.on('data', (part: Buffer) => parts.push(part));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

interface Branch {
  code: string;
  email: string;
  id: string;
  token: string;
  agent: Awaited<ReturnType<typeof signedInAgent>>;
}

describe('Extra requirements', () => {
  let t: TestApp;
  let factory: Factory;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    admin = await factory.admin();
  });

  afterAll(async () => {
    await t.close();
  });

  async function branchWithCoordinator(): Promise<Branch> {
    const code = await factory.branch();
    const { email, token } = await factory.coordinator(code);
    const [{ id }] = await t.db.query<{ id: string }[]>('SELECT id FROM branch WHERE code = $1', [
      code,
    ]);
    return { code, email, id, token, agent: await signedInAgent(t, email, COORDINATOR_PASSWORD) };
  }

  const as = (token: string) => ({
    get: (path: string) => request(t.http).get(path).auth(token, { type: 'bearer' }),
    post: (path: string) => request(t.http).post(path).auth(token, { type: 'bearer' }),
    put: (path: string) => request(t.http).put(path).auth(token, { type: 'bearer' }),
    patch: (path: string) => request(t.http).patch(path).auth(token, { type: 'bearer' }),
    delete: (path: string) => request(t.http).delete(path).auth(token, { type: 'bearer' }),
  });

  /** Visit approved, certificate, the full course: matchable unless an extra requirement is missing. */
  async function volunteerThroughThePath(branch: Branch) {
    const firstName = `Krav${++serial}x${Date.now() % 100000}`;
    const volunteer = await factory.apply({ branchCode: branch.code, firstName });
    const staff = as(branch.token);
    const visit = await staff
      .post(`/api/v1/volunteers/${volunteer.id}/home-visits`)
      .send({ scheduledAt: today().minus({ days: 20 }).set({ hour: 10 }).toISO() })
      .expect(201);
    await staff
      .post(`/api/v1/home-visits/${visit.body.id}/outcome`)
      .send({ outcome: 'approved' })
      .expect(200);
    await staff
      .post(`/api/v1/volunteers/${volunteer.id}/attestations`)
      .send({ receivedOn: today().minus({ months: 1 }).toISODate(), result: 'clean' })
      .expect(201);
    const course = await createCourse(t, branch.token, {
      branchCode: branch.code,
      sessions: fullCourseSessions(-10),
    });
    await staff
      .post(`/api/v1/courses/${course.id}/bookings`)
      .send({ volunteerId: volunteer.id })
      .expect(201);
    for (const session of course.sessions) {
      await staff
        .put(`/api/v1/sessions/${session.id}/attendance`)
        .send({ records: [{ volunteerId: volunteer.id, present: true }] })
        .expect(200);
    }
    return { ...volunteer, firstName };
  }

  /** How the list, its filters, the volunteer, the pool, the dashboard and the funnel see one volunteer. */
  async function observe(branch: Branch, volunteer: { id: string; firstName: string }) {
    const staff = as(branch.token);
    const list = await staff
      .get('/api/v1/volunteers')
      .query({ branch: branch.code, limit: 100 })
      .expect(200);
    const matchableList = await staff
      .get('/api/v1/volunteers')
      .query({ branch: branch.code, matchable: 'true', limit: 100 })
      .expect(200);
    const page = await staff.get(`/api/v1/volunteers/${volunteer.id}`).expect(200);
    const pool = await branch.agent.get('/staff/pool').expect(200);
    const dashboard = await branch.agent.get('/staff').expect(200);
    const row = list.body.items.find((v: { id: string }) => v.id === volunteer.id);
    const funnel = await t.app.get(WorkspaceRepository).funnel(branch.id);
    const dashboardMatchable = dashboard.text.match(
      /<th scope="row">Klar til match<\/th><td>(\d+)<\/td>/,
    );
    return {
      listStage: row.stage,
      listMatchable: row.matchable,
      inMatchableFilter: matchableList.body.items.some(
        (v: { id: string }) => v.id === volunteer.id,
      ),
      inPool: pool.text.includes(volunteer.firstName),
      funnelMatchable: funnel.matchable,
      dashboardMatchable: Number(dashboardMatchable?.[1]),
      pageStage: page.body.stage,
      pageMatchable: page.body.readiness.matchable,
    };
  }
  const seenAsMatchable = {
    listStage: 'matchable',
    listMatchable: true,
    inMatchableFilter: true,
    inPool: true,
    funnelMatchable: 1,
    dashboardMatchable: 1,
    pageStage: 'matchable',
    pageMatchable: true,
  };
  const seenAsApproved = {
    listStage: 'approved',
    listMatchable: false,
    inMatchableFilter: false,
    inPool: false,
    funnelMatchable: 0,
    dashboardMatchable: 0,
    pageStage: 'approved',
    pageMatchable: false,
  };

  const extraOf = async (token: string, volunteerId: string, key: string) => {
    const page = await as(token).get(`/api/v1/volunteers/${volunteerId}`).expect(200);
    return (
      page.body.readiness.requirements as { key: string; met: boolean; detail: object }[]
    ).find((r) => r.key === key);
  };

  const upload = async (title: string, topic: string, requiresConfirmation: boolean) =>
    (
      await as(admin)
        .post('/api/v1/materials')
        .field('title', title)
        .field('topic', topic)
        .field('requiresConfirmation', String(requiresConfirmation))
        .attach('file', await pdfSaying(title), 'krav.pdf')
        .expect(201)
    ).body as { id: string; version: number };

  it('should refuse definitions with a bad or built-in key, a material that asks no confirmation, and from a coordinator', async () => {
    const branch = await branchWithCoordinator();
    const valid = {
      key: 'confidentiality',
      nameDa: 'Tavshedserklæring',
      nameEn: 'Confidentiality',
    };
    expect((await as(branch.token).get('/api/v1/requirements').expect(200)).body).toEqual([]);
    await as(branch.token).post('/api/v1/requirements').send(valid).expect(403);
    await request(t.http).get('/api/v1/requirements').expect(401);

    for (const key of ['Tavshed', 'ab', '1abc', 'tavs-hed', 'a'.repeat(42)]) {
      const res = await as(admin)
        .post('/api/v1/requirements')
        .send({ ...valid, key })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'key' })]);
    }
    for (const key of ['home_visit', 'attestation', 'course']) {
      const res = await as(admin)
        .post('/api/v1/requirements')
        .send({ ...valid, key })
        .expect(409);
      expect(res.body.message).toMatch(/indbygget.*built-in/);
    }
    const noConfirmation = await upload('Praktisk info', 'frameworks', false);
    for (const materialId of [noConfirmation.id, '8f7c5c3e-1a2b-4c3d-9e8f-0a1b2c3d4e5f']) {
      const res = await as(admin)
        .post('/api/v1/requirements')
        .send({ ...valid, materialId })
        .expect(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'materialId', code: 'notConfirmable' }),
      ]);
    }
    for (const bad of [
      { renewMonths: 0 },
      { renewMonths: 2.5 },
      { nameDa: '' },
      { nameEn: null },
    ]) {
      await as(admin)
        .post('/api/v1/requirements')
        .send({ ...valid, ...bad })
        .expect(400);
    }
    // Nothing refused was stored.
    expect((await as(admin).get('/api/v1/requirements').expect(200)).body).toEqual([]);
  });

  it('should demote a matchable volunteer when a requirement is added, telling both, and make them matchable again when it is recorded', async () => {
    const branch = await branchWithCoordinator();
    const volunteer = await volunteerThroughThePath(branch);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
    const before = {
      volunteer: await mailsTo(t, volunteer.email),
      coordinator: await mailsTo(t, branch.email),
    };

    const created = await as(admin)
      .post('/api/v1/requirements')
      .send({
        key: 'confidentiality',
        nameDa: 'Tavshedserklæring',
        nameEn: 'Confidentiality declaration',
        description: 'Underskrevet på papir.',
      })
      .expect(201);
    expect(created.body).toEqual({
      key: 'confidentiality',
      nameDa: 'Tavshedserklæring',
      nameEn: 'Confidentiality declaration',
      description: 'Underskrevet på papir.',
      renewMonths: null,
      materialId: null,
    });
    await as(admin)
      .post('/api/v1/requirements')
      .send({ key: 'confidentiality', nameDa: 'Igen', nameEn: 'Again' })
      .expect(409);
    expect((await as(branch.token).get('/api/v1/requirements').expect(200)).body).toEqual([
      created.body,
    ]);

    // Demoted in the same transaction: every list, the pool and the dashboard agree.
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);
    expect(await extraOf(branch.token, volunteer.id, 'confidentiality')).toEqual({
      key: 'confidentiality',
      extra: true,
      met: false,
      detail: {
        state: 'missing',
        nameDa: 'Tavshedserklæring',
        nameEn: 'Confidentiality declaration',
        metOn: null,
        validUntil: null,
        materialId: null,
      },
    });
    expect((await mailsTo(t, volunteer.email)).slice(before.volunteer.length)).toEqual([
      'no-longer-matchable',
    ]);
    expect((await mailsTo(t, branch.email)).slice(before.coordinator.length)).toEqual([
      'no-longer-matchable',
    ]);
    const [lapse] = await t.db.query<{ text_body: string }[]>(
      `SELECT text_body FROM outbox_message
        WHERE template = 'no-longer-matchable' AND recipient = $1`,
      [volunteer.email],
    );
    expect(lapse.text_body).toContain('Tavshedserklæring');

    // Recording: not in the future, not twice, only in the coordinator's branch.
    const path = `/api/v1/volunteers/${volunteer.id}/requirements/confidentiality`;
    const future = await as(branch.token)
      .post(path)
      .send({ metOn: today().plus({ days: 1 }).toISODate() })
      .expect(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'metOn' })]);
    await as(branch.token).post(path).send({ metOn: 'igår' }).expect(400);
    const other = await branchWithCoordinator();
    await as(other.token).post(path).send({ metOn: today().toISODate() }).expect(404);
    await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/no_such_thing`)
      .send({ metOn: today().toISODate() })
      .expect(404);

    const metOn = today().minus({ days: 2 }).toISODate();
    const recorded = await as(branch.token).post(path).send({ metOn }).expect(201);
    expect(recorded.body).toMatchObject({ key: 'confidentiality', met: true, metOn });
    await as(branch.token).post(path).send({ metOn }).expect(409);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
    expect(await extraOf(branch.token, volunteer.id, 'confidentiality')).toMatchObject({
      met: true,
      detail: { state: 'met', metOn },
    });
    expect((await mailsTo(t, volunteer.email)).slice(before.volunteer.length)).toEqual([
      'no-longer-matchable',
      'matchable',
    ]);
    const [audit] = await t.db.query<{ actor_id: string; details: { metOn: string } }[]>(
      `SELECT actor_id, details FROM audit_event
        WHERE action = 'requirement.recorded' AND volunteer_id = $1`,
      [volunteer.id],
    );
    expect(audit.details.metOn).toBe(metOn);
    expect(audit.actor_id).toEqual(expect.any(String));

    // Un-recording takes it back: not matchable again.
    await as(branch.token).delete(path).expect(204);
    await as(branch.token).delete(path).expect(404);
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);
    await as(branch.token).post(path).send({ metOn }).expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
  });

  it('should let a reading confirmation of the current version meet a requirement, and a new version ask again', async () => {
    const branch = await branchWithCoordinator();
    const volunteer = await volunteerThroughThePath(branch);
    await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/confidentiality`)
      .send({ metOn: today().toISODate() })
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
    // Someone who applied and is on no course.
    const newcomer = await factory.apply({ branchCode: branch.code });

    const policy = await upload('Børnesikkerhedspolitikken', 'child_safety', true);
    await as(admin)
      .post('/api/v1/requirements')
      .send({
        key: 'child_safety_policy',
        nameDa: 'Børnesikkerhedspolitik læst',
        nameEn: 'Child safety policy read',
        materialId: policy.id,
      })
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);

    // Staff cannot tick it off for the volunteer.
    const byStaff = await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/child_safety_policy`)
      .send({ metOn: today().toISODate() })
      .expect(409);
    expect(byStaff.body.message).toMatch(/læsebekræftelse.*reading confirmation/);

    // Both see the material on their own list, booked or not.
    for (const person of [volunteer, newcomer]) {
      const mine = await as(person.portalToken).get('/api/v1/me/materials').expect(200);
      expect(mine.body).toContainEqual(
        expect.objectContaining({
          id: policy.id,
          title: 'Børnesikkerhedspolitikken',
          requiresConfirmation: true,
          confirmedAt: null,
        }),
      );
    }

    const mailsBefore = await mailsTo(t, volunteer.email);
    await as(volunteer.portalToken).post(`/api/v1/me/materials/${policy.id}/confirm`).expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
    expect(await extraOf(branch.token, volunteer.id, 'child_safety_policy')).toMatchObject({
      met: true,
      detail: { state: 'met', metOn: today().toISODate(), materialId: policy.id },
    });
    expect((await mailsTo(t, volunteer.email)).slice(mailsBefore.length)).toEqual(['matchable']);
    // The newcomer confirms too, without becoming anything more than an applicant.
    await as(newcomer.portalToken).post(`/api/v1/me/materials/${policy.id}/confirm`).expect(201);
    expect(
      (await as(branch.token).get(`/api/v1/volunteers/${newcomer.id}`).expect(200)).body.stage,
    ).toBe('applied');

    // A new version: the old confirmation no longer counts, for everyone at once.
    await as(admin)
      .post(`/api/v1/materials/${policy.id}/versions`)
      .attach('file', await pdfSaying('Version 2'), 'krav.pdf')
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);
    expect((await mailsTo(t, volunteer.email)).slice(mailsBefore.length)).toEqual([
      'matchable',
      'no-longer-matchable',
    ]);
    await as(volunteer.portalToken).post(`/api/v1/me/materials/${policy.id}/confirm`).expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
  });

  it('should agree in SQL and TypeScript on each extra requirement, and end a renewable one without any job', async () => {
    const branch = await branchWithCoordinator();
    await as(admin)
      .post('/api/v1/requirements')
      .send({
        key: 'yearly_check',
        nameDa: 'Årlig samtale',
        nameEn: 'Yearly talk',
        renewMonths: 12,
      })
      .expect(201);
    const volunteer = await volunteerThroughThePath(branch);
    await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/confidentiality`)
      .send({ metOn: today().toISODate() })
      .expect(201);
    const policy = (await as(admin).get('/api/v1/requirements').expect(200)).body.find(
      (r: { key: string }) => r.key === 'child_safety_policy',
    );
    await as(volunteer.portalToken)
      .post(`/api/v1/me/materials/${policy.materialId}/confirm`)
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);

    // Met a year ago tomorrow: valid through today, so the mark ends today.
    const lastDayToday = today().plus({ days: 1 }).minus({ months: 12 }).toISODate()!;
    await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/yearly_check`)
      .send({ metOn: lastDayToday })
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
    const [{ matchable_until }] = await t.db.query<{ matchable_until: string }[]>(
      `SELECT to_char(matchable_until, 'YYYY-MM-DD') AS matchable_until FROM volunteer WHERE id = $1`,
      [volunteer.id],
    );
    expect(matchable_until).toBe(today().toISODate());

    // Others: met long ago (lapsed), met on the day that lapsed yesterday, nothing recorded.
    const others = [];
    for (const metOn of [
      today().minus({ months: 20 }).toISODate()!,
      today().minus({ months: 12 }).toISODate()!,
      null,
    ]) {
      const other = await factory.apply({ branchCode: branch.code });
      if (metOn) {
        await as(branch.token)
          .post(`/api/v1/volunteers/${other.id}/requirements/yearly_check`)
          .send({ metOn })
          .expect(201);
      }
      others.push(other.id);
    }
    const ids = [volunteer.id, ...others];
    const readiness = t.app.get(ReadinessService);
    const inTypeScript = [];
    for (const id of ids) {
      const entity = await t.db.manager.findOneByOrFail(Volunteer, { id });
      const assessed = await readiness.assess(t.db.manager, entity);
      for (const r of assessed.requirements.filter(isExtra)) {
        inTypeScript.push({
          id,
          key: r.key,
          metOn: r.detail.metOn,
          validUntil: r.detail.validUntil,
          met: r.met,
        });
      }
    }
    const inSql = await t.db.query<
      { id: string; key: string; metOn: string | null; validUntil: string | null; met: boolean }[]
    >(
      `SELECT r.volunteer_id AS id, r.key, to_char(r.met_on, 'YYYY-MM-DD') AS "metOn",
              to_char(r.valid_until, 'YYYY-MM-DD') AS "validUntil", r.met
         FROM volunteer_requirement r
         JOIN unnest($1::uuid[]) WITH ORDINALITY AS v(id, n) ON v.id = r.volunteer_id
         JOIN requirement d ON d.key = r.key
        ORDER BY v.n, d.created_at, d.key`,
      [ids],
    );
    expect(inSql).toEqual(inTypeScript);
    expect(inSql.filter((r) => r.key === 'yearly_check').map((r) => r.met)).toEqual([
      true,
      false,
      false,
      false,
    ]);

    // The morning after: nothing has run, yet no list counts the volunteer as matchable.
    const yesterday = today().minus({ days: 1 });
    await t.db.query(
      `UPDATE volunteer_requirement_record SET met_on = $2
        WHERE volunteer_id = $1 AND requirement_key = 'yearly_check'`,
      [volunteer.id, yesterday.plus({ days: 1 }).minus({ months: 12 }).toISODate()],
    );
    await t.db.query('UPDATE volunteer SET matchable_until = $2 WHERE id = $1', [
      volunteer.id,
      yesterday.toISODate(),
    ]);
    const mailsBefore = await mailsTo(t, volunteer.email);
    expect(await observe(branch, volunteer)).toMatchObject({
      listStage: 'approved',
      listMatchable: false,
      inMatchableFilter: false,
      inPool: false,
      funnelMatchable: 0,
      dashboardMatchable: 0,
    });
    // The nightly run stores it and sends the lapse mail, naming the requirement.
    const run = await readiness.refreshLapsed();
    expect(run.moved).toBeGreaterThanOrEqual(1);
    expect(await observe(branch, volunteer)).toEqual(seenAsApproved);
    expect((await mailsTo(t, volunteer.email)).slice(mailsBefore.length)).toEqual([
      'no-longer-matchable',
    ]);
    // Renewed: recorded again over the lapsed record.
    await as(branch.token)
      .post(`/api/v1/volunteers/${volunteer.id}/requirements/yearly_check`)
      .send({ metOn: today().toISODate() })
      .expect(201);
    expect(await observe(branch, volunteer)).toEqual(seenAsMatchable);
  });

  it('should show the requirements to the administrator, the coordinator and the volunteer on their pages', async () => {
    const adminAgent = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const list = await adminAgent.get('/staff/requirements').expect(200);
    expect(list.text).toContain('Tavshedserklæring');
    expect(list.text).toContain('Børnesikkerhedspolitikken');
    expect(list.text).toContain('hver 12 måneder');
    // A refused form comes back with the message by the field and the input kept.
    const refused = await submitForm(adminAgent, '/staff/requirements', '/staff/requirements', {
      nameDa: 'Førstehjælp',
      key: 'home_visit',
    });
    const again = await adminAgent.get(refused).expect(200);
    expect(again.text).toContain('Nøglen bruges af et indbygget krav');
    expect(again.text).toContain('value="Førstehjælp"');
    await submitForm(adminAgent, '/staff/requirements', '/staff/requirements', {
      nameDa: 'Førstehjælpskursus',
      key: 'first_aid',
    });
    expect((await as(admin).get('/api/v1/requirements').expect(200)).body).toContainEqual(
      expect.objectContaining({
        key: 'first_aid',
        nameEn: 'Førstehjælpskursus',
        renewMonths: null,
      }),
    );
    // Not for coordinators.
    const branch = await branchWithCoordinator();
    await branch.agent.get('/staff/requirements').expect(403);

    // The record card: a date field, then the record with who made it, and undo.
    const volunteer = await factory.apply({ branchCode: branch.code });
    const record = `/staff/volunteers/${volunteer.id}`;
    const before = await branch.agent.get(record).expect(200);
    expect(before.text).toContain('id="requirement-first_aid"');
    await submitForm(branch.agent, record, `${record}/requirements/first_aid`, {
      metOn: today().plus({ days: 3 }).toISODate()!,
    });
    const refusedCard = await branch.agent.get(record).expect(200);
    expect(refusedCard.text).toContain('Datoen kan ikke ligge i fremtiden');
    await submitForm(branch.agent, record, `${record}/requirements/first_aid`, {
      metOn: today().toISODate()!,
    });
    const after = await branch.agent.get(record).expect(200);
    expect(after.text).toContain('registreret af Karen Koordinator');
    expect(after.text).toContain(`${record}/requirements/first_aid/undo`);
    expect(await extraOf(branch.token, volunteer.id, 'first_aid')).toMatchObject({ met: true });
    await submitForm(branch.agent, record, `${record}/requirements/first_aid/undo`);
    expect(await extraOf(branch.token, volunteer.id, 'first_aid')).toMatchObject({ met: false });

    // The personal page: each requirement a step; the material one links and confirms.
    const portal = await request(t.http).get(`/v/${volunteer.portalToken}`).expect(200);
    expect(portal.text).toContain('Tavshedserklæring');
    expect(portal.text).toContain('Børnesikkerhedspolitik læst');
    expect(portal.text).toContain('Årlig samtale');
    expect(portal.text).toMatch(/Jeg har læst\s+Børnesikkerhedspolitikken/);
  });

  it('should keep a material that a requirement is met by: no delete, no end to its confirmation', async () => {
    const handbook = await upload('Tavshedspligt', 'frameworks', true);
    await as(admin)
      .post('/api/v1/requirements')
      .send({
        key: 'duty_of_secrecy',
        nameDa: 'Tavshedspligt læst',
        nameEn: 'Secrecy read',
        materialId: handbook.id,
      })
      .expect(201);

    const deleted = await as(admin).delete(`/api/v1/materials/${handbook.id}`).expect(409);
    expect(deleted.body.message).toContain('duty_of_secrecy');
    await as(admin)
      .patch(`/api/v1/materials/${handbook.id}`)
      .send({ requiresConfirmation: false })
      .expect(409);
    // A new title is harmless.
    await as(admin)
      .patch(`/api/v1/materials/${handbook.id}`)
      .send({ title: 'Tavshedspligten' })
      .expect(200);
    const [kept] = await t.db.query<{ requires_confirmation: boolean }[]>(
      'SELECT requires_confirmation FROM material WHERE id = $1',
      [handbook.id],
    );
    expect(kept.requires_confirmation).toBe(true);
  });
});
