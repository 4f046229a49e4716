import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import request from 'supertest';
import { attestationValidUntil } from '../src/readiness/readiness';
import { ReadinessService } from '../src/readiness/readiness.service';
import { WorkspaceRepository } from '../src/workspace/workspace.repository';
import { createTestApp, createTestDatabase, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory, fullCourseSessions } from './factories';
import { signedInAgent } from './pages';

const today = () => DateTime.now().setZone('Europe/Copenhagen').startOf('day');
let serial = 0;

interface Branch {
  code: string;
  email: string;
  id: string;
  token: string;
  agent: Awaited<ReturnType<typeof signedInAgent>>;
}

async function branchWithCoordinator(t: TestApp): Promise<Branch> {
  const factory = new Factory(t);
  const code = await factory.branch();
  const { email, token } = await factory.coordinator(code);
  const [{ id }] = await t.db.query<{ id: string }[]>('SELECT id FROM branch WHERE code = $1', [
    code,
  ]);
  return { code, email, id, token, agent: await signedInAgent(t, email, COORDINATOR_PASSWORD) };
}

/** A volunteer through the whole path over HTTP: visit approved, certificate, the full course. */
async function volunteerThroughThePath(
  t: TestApp,
  branch: Branch,
  options: { receivedOn?: string; locale?: 'da' | 'en' } = {},
) {
  const firstName = `Regel${++serial}x${Date.now() % 100000}`;
  const volunteer = await new Factory(t).apply({
    branchCode: branch.code,
    firstName,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const as = (method: 'post' | 'put', path: string) =>
    request(t.http)[method](path).auth(branch.token, { type: 'bearer' });
  const visit = await as('post', `/api/v1/volunteers/${volunteer.id}/home-visits`)
    .send({ scheduledAt: today().minus({ days: 20 }).set({ hour: 10 }).toISO() })
    .expect(201);
  await as('post', `/api/v1/home-visits/${visit.body.id}/outcome`)
    .send({ outcome: 'approved' })
    .expect(200);
  await as('post', `/api/v1/volunteers/${volunteer.id}/attestations`)
    .send({
      receivedOn: options.receivedOn ?? today().minus({ months: 1 }).toISODate(),
      result: 'clean',
    })
    .expect(201);
  const course = await createCourse(t, branch.token, {
    branchCode: branch.code,
    sessions: fullCourseSessions(-10),
  });
  await as('post', `/api/v1/courses/${course.id}/bookings`)
    .send({ volunteerId: volunteer.id })
    .expect(201);
  for (const session of course.sessions) {
    await as('put', `/api/v1/sessions/${session.id}/attendance`)
      .send({ records: [{ volunteerId: volunteer.id, present: true }] })
      .expect(200);
  }
  return { ...volunteer, firstName, course };
}

/** How every place that shows readiness sees one volunteer, and the branch's counts. */
async function observe(t: TestApp, branch: Branch, volunteer: { id: string; firstName: string }) {
  const list = await request(t.http)
    .get('/api/v1/volunteers')
    .query({ branch: branch.code, limit: 100 })
    .auth(branch.token, { type: 'bearer' })
    .expect(200);
  const matchableList = await request(t.http)
    .get('/api/v1/volunteers')
    .query({ branch: branch.code, matchable: 'true', limit: 100 })
    .auth(branch.token, { type: 'bearer' })
    .expect(200);
  const approvedList = await request(t.http)
    .get('/api/v1/volunteers')
    .query({ branch: branch.code, stage: 'approved', limit: 100 })
    .auth(branch.token, { type: 'bearer' })
    .expect(200);
  const page = await request(t.http)
    .get(`/api/v1/volunteers/${volunteer.id}`)
    .auth(branch.token, { type: 'bearer' })
    .expect(200);
  const pool = await branch.agent.get('/staff/pool').expect(200);
  const dashboard = await branch.agent.get('/staff').expect(200);
  const ids = (res: request.Response) => res.body.items.map((v: { id: string }) => v.id);
  const row = list.body.items.find((v: { id: string }) => v.id === volunteer.id);
  const funnel = await t.app.get(WorkspaceRepository).funnel(branch.id);
  const dashboardMatchable = dashboard.text.match(
    /<th scope="row">Klar til match<\/th><td>(\d+)<\/td>/,
  );
  return {
    listStage: row.stage,
    listMatchable: row.matchable,
    inMatchableFilter: ids(matchableList).includes(volunteer.id),
    inApprovedFilter: ids(approvedList).includes(volunteer.id),
    inPool: pool.text.includes(volunteer.firstName),
    funnelMatchable: funnel.matchable,
    funnelCourseCompleted: funnel.courseCompleted,
    funnelCertificateValid: funnel.certificateValid,
    dashboardMatchable: Number(dashboardMatchable?.[1]),
    pageStage: page.body.stage,
  };
}

const seenAsMatchable = {
  listStage: 'matchable',
  listMatchable: true,
  inMatchableFilter: true,
  inApprovedFilter: false,
  inPool: true,
  funnelMatchable: 1,
  dashboardMatchable: 1,
  pageStage: 'matchable',
};
const seenAsApproved = {
  listStage: 'approved',
  listMatchable: false,
  inMatchableFilter: false,
  inApprovedFilter: true,
  inPool: false,
  funnelMatchable: 0,
  dashboardMatchable: 0,
  pageStage: 'approved',
};

describe('Readiness rules that stay true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should move list, pool, funnel and the volunteer page together when the curriculum hours are raised and lowered', async () => {
    const branch = await branchWithCoordinator(t);
    const volunteer = await volunteerThroughThePath(t, branch);
    expect(await observe(t, branch, volunteer)).toMatchObject({
      ...seenAsMatchable,
      funnelCourseCompleted: 1,
    });

    const admin = await new Factory(t).admin();
    const current = await request(t.http).get('/api/v1/curriculum').expect(200);
    const putHours = (requiredHours: number) =>
      request(t.http)
        .put('/api/v1/curriculum')
        .auth(admin, { type: 'bearer' })
        .send({ ...current.body, requiredHours })
        .expect(200);
    try {
      await putHours(25);
      expect(await observe(t, branch, volunteer)).toMatchObject({
        ...seenAsApproved,
        funnelCourseCompleted: 0,
      });
      await putHours(20);
      expect(await observe(t, branch, volunteer)).toMatchObject({
        ...seenAsMatchable,
        funnelCourseCompleted: 1,
      });
    } finally {
      await putHours(current.body.requiredHours);
    }
  });

  it('should not count a certificate that ran out yesterday as valid anywhere, before any job runs', async () => {
    const branch = await branchWithCoordinator(t);
    const volunteer = await volunteerThroughThePath(t, branch);
    expect(await observe(t, branch, volunteer)).toMatchObject(seenAsMatchable);

    // As the rows stand the morning after the certificate's last day: nothing has run since.
    const yesterday = today().minus({ days: 1 });
    await t.db.query('UPDATE attestation SET received_on = $2 WHERE volunteer_id = $1', [
      volunteer.id,
      yesterday.plus({ days: 1 }).minus({ months: 24 }).toISODate(),
    ]);
    await t.db.query('UPDATE volunteer SET matchable_until = $2 WHERE id = $1', [
      volunteer.id,
      yesterday.toISODate(),
    ]);

    expect(await observe(t, branch, volunteer)).toMatchObject({
      ...seenAsApproved,
      funnelCertificateValid: 0,
    });
  });

  it('should run the nightly refresh just after midnight, over every lapsed volunteer, logging a failure with its stack', async () => {
    const next = t.app.get(SchedulerRegistry).getCronJob('readiness-refresh').nextDate();
    const nextInCopenhagen = DateTime.fromISO(next.toISO()!).setZone('Europe/Copenhagen');
    expect(nextInCopenhagen.hour).toBe(0);
    expect(nextInCopenhagen.minute).toBeLessThan(15);

    const branch = await branchWithCoordinator(t);
    const failing = await volunteerThroughThePath(t, branch);
    const lapsing = await volunteerThroughThePath(t, branch);
    for (const { id } of [failing, lapsing]) {
      await t.db.query(
        `UPDATE attestation SET received_on = received_on - interval '25 months' WHERE volunteer_id = $1`,
        [id],
      );
      await t.db.query(`UPDATE volunteer SET matchable_until = $2 WHERE id = $1`, [
        id,
        today().minus({ days: 1 }).toISODate(),
      ]);
    }
    await t.db.query(`
      CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${failing.id}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_for_test BEFORE UPDATE ON volunteer
        FOR EACH ROW EXECUTE FUNCTION refuse_for_test();`);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let errors: unknown[][];
    try {
      const run = await t.app.get(ReadinessService).refreshLapsed();
      // Earlier tests of this file leave lapsed volunteers of their own: only one fails.
      expect(run.failed).toBe(1);
      expect(run.moved).toBe(run.due - 1);
    } finally {
      errors = [...logged.mock.calls];
      await t.db.query(
        'DROP TRIGGER refuse_for_test ON volunteer; DROP FUNCTION refuse_for_test();',
      );
      logged.mockRestore();
    }
    const stages = await t.db.query<{ id: string; stage: string }[]>(
      'SELECT id, stage FROM volunteer WHERE id = ANY($1)',
      [[failing.id, lapsing.id]],
    );
    expect(Object.fromEntries(stages.map((s) => [s.id, s.stage]))).toEqual({
      [failing.id]: 'matchable',
      [lapsing.id]: 'approved',
    });
    expect(errors).toContainEqual([
      expect.stringContaining(failing.id),
      expect.stringMatching(/refused for the test[\s\S]*\n\s+at /),
    ]);
  });

  it('should tell a volunteer who reads English that the course is no longer complete when a session is cancelled', async () => {
    const branch = await branchWithCoordinator(t);
    const volunteer = await volunteerThroughThePath(t, branch, { locale: 'en' });
    expect(await observe(t, branch, volunteer)).toMatchObject(seenAsMatchable);

    await request(t.http)
      .post(`/api/v1/sessions/${volunteer.course.sessions[1].id}/cancel`)
      .auth(branch.token, { type: 'bearer' })
      .expect(200);

    const mails = await t.db.query<{ recipient: string; text_body: string }[]>(
      `SELECT recipient, text_body FROM outbox_message WHERE template = 'no-longer-matchable'
         AND text_body LIKE '%' || $1 || '%'`,
      [volunteer.firstName],
    );
    const toVolunteer = mails.find((m) => m.recipient === volunteer.email);
    expect(toVolunteer?.text_body).toContain('You are no longer ready to be matched');
    expect(toVolunteer?.text_body).toContain('the course is no longer complete');
    expect(toVolunteer?.text_body).not.toMatch(/certificate|attest/);
    const toCoordinator = mails.find((m) => m.recipient !== volunteer.email);
    expect(toCoordinator?.text_body).toContain('kurset er ikke længere gennemført');
  });
});

describe('Readiness rule settings at start-up', () => {
  it('should re-derive everyone when ATTESTATION_VALID_MONTHS changed, and not on an unchanged start', async () => {
    const database = await createTestDatabase();
    const started: TestApp[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const app = await createTestApp({ database, env });
      started.push(app);
      return app;
    };
    try {
      let t = await start();
      let branch = await branchWithCoordinator(t);
      // Valid for 24 months, so it ran out a month ago; with 36 months it holds.
      const volunteer = await volunteerThroughThePath(t, branch, {
        receivedOn: today().minus({ months: 25 }).toISODate()!,
      });
      expect(await observe(t, branch, volunteer)).toMatchObject(seenAsApproved);
      // Valid either way: only the day the mark ends moves, 12 months on.
      const recent = today().minus({ months: 2 }).toISODate()!;
      // In a branch of its own, so the first branch's counts stay about one person.
      const holder = await volunteerThroughThePath(t, await branchWithCoordinator(t), {
        receivedOn: recent,
      });
      const markEnds = async () =>
        (
          await t.db.query<{ until: string }[]>(
            `SELECT to_char(matchable_until, 'YYYY-MM-DD') AS until FROM volunteer WHERE id = $1`,
            [holder.id],
          )
        )[0].until;
      expect(await markEnds()).toBe(attestationValidUntil(recent, 24));
      await t.close();

      t = await start({ ATTESTATION_VALID_MONTHS: '36' });
      branch = { ...branch, agent: await signedInAgent(t, branch.email, COORDINATOR_PASSWORD) };
      expect(await observe(t, branch, volunteer)).toMatchObject(seenAsMatchable);
      expect(await markEnds()).toBe(attestationValidUntil(recent, 36));

      // Unchanged settings: the stored marks are left as they are (a mark put back by hand stays).
      await t.db.query(
        `UPDATE volunteer SET stage = 'approved', matchable_since = NULL, matchable_until = NULL WHERE id = $1`,
        [volunteer.id],
      );
      await t.close();
      t = await start({ ATTESTATION_VALID_MONTHS: '36' });
      const [{ stage }] = await t.db.query<{ stage: string }[]>(
        'SELECT stage FROM volunteer WHERE id = $1',
        [volunteer.id],
      );
      expect(stage).toBe('approved');

      // A re-derivation that fails stops the start, and the settings stay as they were.
      await t.db.query(`
        CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
        CREATE TRIGGER refuse_for_test BEFORE UPDATE ON volunteer
          FOR EACH ROW EXECUTE FUNCTION refuse_for_test();`);
      await t.close();
      await expect(start({ ATTESTATION_VALID_MONTHS: '12' })).rejects.toThrow(
        'refused for the test',
      );
      t = await start({ ATTESTATION_VALID_MONTHS: '36' });
      const [settings] = await t.db.query<{ months: number }[]>(
        'SELECT attestation_valid_months AS months FROM rule_settings',
      );
      expect(settings.months).toBe(36);
    } finally {
      for (const app of started) {
        await app.close().catch(() => undefined);
      }
      await database.dispose();
    }
  }, 180_000);
});
