import request from 'supertest';
import { hashPassword } from '../src/auth/passwords';
import {
  nationalBranchCode,
  nationalCoordinatorEmail,
  nationalCourses,
  SESSIONS_PER_COURSE,
  seedNational,
} from '../bench/national-seed';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD } from './factories';
import { signedInAgent } from './pages';

/**
 * The smoke run of `npm run bench:national`'s seed (bench/national-seed.ts) at a tiny
 * size: it runs on both databases, makes what it says, keeps every stored stage in
 * agreement with the readiness rules in SQL, and the app serves what it made.
 */
describe('the national seed (bench:national), small', () => {
  const size = { volunteers: 600, branches: 3 };
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await seedNational((sql, params) => t.db.query(sql, params), {
      ...size,
      passwordHash: await hashPassword(COORDINATOR_PASSWORD),
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const count = async (sql: string) =>
    (await t.db.query<{ n: number }[]>(`SELECT (${sql})::int AS n`))[0].n;

  it('should make the volunteers over the branches at every stage, with what their stage needs', async () => {
    const courses = nationalCourses(size);
    expect(await count("SELECT count(*) FROM branch WHERE code LIKE 'national-%'")).toBe(3);
    expect(await count("SELECT count(*) FROM staff_user WHERE role = 'coordinator'")).toBe(3);
    expect(await count('SELECT count(*) FROM volunteer')).toBe(600);
    expect(await count('SELECT count(*) FROM course')).toBe(courses);
    expect(await count('SELECT count(*) FROM course_session')).toBe(courses * SESSIONS_PER_COURSE);

    const stages = await t.db.query<{ branch: string; stage: string; n: number }[]>(
      `SELECT b.code AS branch, v.stage, count(*)::int AS n
         FROM volunteer v JOIN branch b ON b.id = v.branch_id
        GROUP BY b.code, v.stage`,
    );
    for (let b = 1; b <= 3; b += 1) {
      const own = stages.filter((s) => s.branch === nationalBranchCode(b));
      expect(own.map((s) => s.stage).sort()).toEqual(
        ['applied', 'approved', 'declined', 'matchable', 'visit_scheduled', 'withdrawn'].sort(),
      );
      expect(own.reduce((sum, s) => sum + s.n, 0)).toBe(200);
    }
    // The facts behind the stages: a visit for each past the application, a certificate
    // and the whole course for each matchable, bookings and attendance, notes, history.
    expect(
      await count(`SELECT count(*) FROM volunteer v WHERE v.stage IN ('visit_scheduled', 'approved', 'matchable', 'declined')
                     AND NOT EXISTS (SELECT 1 FROM home_visit h WHERE h.volunteer_id = v.id)`),
    ).toBe(0);
    expect(await count('SELECT count(*) FROM booking')).toBeGreaterThan(0);
    expect(await count('SELECT count(*) FROM attendance WHERE NOT present')).toBeGreaterThan(0);
    expect(await count('SELECT count(*) FROM volunteer_note')).toBeGreaterThan(0);
    expect(await count('SELECT count(*) FROM audit_event')).toBeGreaterThan(600);
    expect(
      await count(`SELECT count(*) FROM volunteer v
                    JOIN volunteer_certificate c ON c.volunteer_id = v.id AND c.valid
                    JOIN volunteer_course_progress p ON p.volunteer_id = v.id AND p.completed
                   WHERE v.stage = 'matchable' AND v.matchable_until = c.valid_until`),
    ).toBe(await count("SELECT count(*) FROM volunteer WHERE stage = 'matchable'"));
    expect(await count("SELECT count(*) FROM volunteer WHERE stage = 'matchable'")).toBeGreaterThan(
      0,
    );
    // The scratch tables are gone.
    expect(
      await count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'national_seed_%'"),
    ).toBe(0);
  });

  it('should leave no approved volunteer ready and no matchable one unready by the rules', async () => {
    // The readiness refresh's own comparison (ReadinessRepository.offTheRules), unlocked.
    expect(
      await count(`SELECT count(*) FROM volunteer v
                     LEFT JOIN volunteer_certificate c ON c.volunteer_id = v.id
                     LEFT JOIN volunteer_course_progress p ON p.volunteer_id = v.id
                    WHERE v.status = 'active' AND v.stage IN ('approved', 'matchable')
                      AND ((v.stage = 'matchable') <> (coalesce(c.valid, false) AND coalesce(p.completed, false))
                           OR (v.stage = 'matchable' AND v.matchable_until IS DISTINCT FROM c.valid_until))`),
    ).toBe(0);
  });

  it("should let a branch's coordinator sign in and see their own branch's volunteers", async () => {
    const agent = await signedInAgent(t, nationalCoordinatorEmail(2), COORDINATOR_PASSWORD);
    await agent.get('/staff').expect(200);
    const token = (
      await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email: nationalCoordinatorEmail(2), password: COORDINATOR_PASSWORD })
        .expect(201)
    ).body.token as string;
    const list = await request(t.http)
      .get('/api/v1/volunteers')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(list.body.total).toBe(200);
    expect(new Set(list.body.items.map((v: { branchCode: string }) => v.branchCode))).toEqual(
      new Set([nationalBranchCode(2)]),
    );
  });
});
