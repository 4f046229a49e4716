import { hashPassword } from '../src/auth/passwords';
import { WorkspaceRepository } from '../src/workspace/workspace.repository';
import { seedNational } from '../bench/national-seed';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD } from './factories';

/**
 * The dashboard's funnel counts in bulk (one pass, the course rule read as bits of
 * topics covered), while the views volunteer_course_progress and volunteer_certificate
 * are the readiness rule per volunteer: both must count the same people, for a branch
 * and for every branch, however the curriculum is set.
 */
describe('the funnel against the readiness views', () => {
  let t: TestApp;
  let sut: WorkspaceRepository;

  beforeAll(async () => {
    t = await createTestApp();
    sut = t.app.get(WorkspaceRepository);
    await seedNational((sql, params) => t.db.query(sql, params), {
      volunteers: 40,
      branches: 2,
      passwordHash: await hashPassword(COORDINATOR_PASSWORD),
    });
    // Sessions cancelled after they were attended, and a course completed before Klar.
    await t.db.query(
      `UPDATE course_session SET cancelled_at = now()
        WHERE id IN (SELECT id FROM course_session ORDER BY id LIMIT 3)`,
    );
    await t.db.query(
      `INSERT INTO prior_course_completion (volunteer_id, completed_on)
       SELECT v.id, current_date - 400
         FROM volunteer v
        WHERE v.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.volunteer_id = v.id)
        ORDER BY v.id LIMIT 2`,
    );
  });

  afterAll(async () => {
    await t.close();
  });

  async function byViews(branchId: string | null) {
    const [row] = await t.db.query<{ courseCompleted: number; certificateValid: number }[]>(
      `SELECT count(*) FILTER (WHERE p.completed)::int AS "courseCompleted",
              count(*) FILTER (WHERE c.valid)::int AS "certificateValid"
         FROM volunteer v
         JOIN volunteer_course_progress p ON p.volunteer_id = v.id
         LEFT JOIN volunteer_certificate c ON c.volunteer_id = v.id
        WHERE v.status = 'active' AND ($1::uuid IS NULL OR v.branch_id = $1)`,
      [branchId],
    );
    return row;
  }

  async function expectAgreement() {
    const branches = await t.db.query<{ id: string }[]>('SELECT id FROM branch ORDER BY code');
    for (const branchId of [null, ...branches.map((b) => b.id)]) {
      const funnel = await sut.funnel(branchId);
      const views = await byViews(branchId);
      expect({
        courseCompleted: funnel.courseCompleted,
        certificateValid: funnel.certificateValid,
      }).toEqual(views);
    }
    return byViews(null);
  }

  it('should count what the views count with the seeded curriculum', async () => {
    const views = await expectAgreement();
    // Some have completed and some have not, or the comparison proves little.
    const [{ active }] = await t.db.query<{ active: number }[]>(
      "SELECT count(*)::int AS active FROM volunteer WHERE status = 'active'",
    );
    expect(views.courseCompleted).toBeGreaterThan(0);
    expect(views.courseCompleted).toBeLessThan(active);
    expect(views.certificateValid).toBeGreaterThan(0);
  });

  it('should count what the views count with fewer mandatory topics, none, and other hours', async () => {
    await t.db.query(
      `UPDATE topic SET mandatory = false
        WHERE code = (SELECT code FROM topic WHERE mandatory ORDER BY position LIMIT 1)`,
    );
    await expectAgreement();
    await t.db.query('UPDATE curriculum SET required_hours = 0.5');
    await expectAgreement();
    await t.db.query('UPDATE topic SET mandatory = false');
    const views = await expectAgreement();
    expect(views.courseCompleted).toBeGreaterThan(0);
    await t.db.query('UPDATE curriculum SET required_hours = 999');
    await expectAgreement();
  });
});
