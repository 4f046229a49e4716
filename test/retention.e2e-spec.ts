import request from 'supertest';
import { RetentionScheduler } from '../src/privacy/retention.scheduler';
import { retentionErasureDay } from '../src/privacy/retention';
import { createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { signedInAgent } from './pages';

/** Issue 14, storage limitation: closed applications are erased after RETENTION_CLOSED_MONTHS. */
describe('retention of declined and withdrawn people', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { RETENTION_CLOSED_MONTHS: '6' } });
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
  });
  afterAll(() => t.close());

  /** A withdrawn volunteer whose closing is moved back `months` months and `days` days. */
  async function closedAgo(months: number, days: number) {
    const person = await factory.apply({ branchCode });
    await request(t.http)
      .post(`/api/v1/volunteers/${person.id}/withdraw`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({})
      .expect(200);
    await t.db.query(
      `UPDATE volunteer SET closed_at = now() - make_interval(months => $2, days => $3) WHERE id = $1`,
      [person.id, months, days],
    );
    return person;
  }

  it('should erase, on the night their day comes, those closed six months ago, and say the day on the record until then', async () => {
    const due = await closedAgo(6, 1);
    const justDue = await closedAgo(6, 0);
    const notYet = await closedAgo(5, 27);
    const active = await factory.apply({ branchCode });

    const [{ closed_at: closedAt }] = await t.db.query<{ closed_at: Date }[]>(
      'SELECT closed_at FROM volunteer WHERE id = $1',
      [notYet.id],
    );
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const record = await agent.get(`/staff/volunteers/${notYet.id}`).expect(200);
    const day = retentionErasureDay(closedAt, 6);
    expect(record.text).toContain('Personen slettes den');
    const [year, month, date] = day.split('-').map(Number);
    expect(record.text).toContain(`${date}. `);
    expect(record.text).toContain(String(year));
    expect(month).toBeGreaterThan(0);

    const erased = await t.app.get(RetentionScheduler).eraseDue(new Date());
    expect(erased).toBe(2);
    const states = await t.db.query<{ id: string; erased: boolean }[]>(
      'SELECT id, erased_at IS NOT NULL AS erased FROM volunteer WHERE id = ANY($1)',
      [[due.id, justDue.id, notYet.id, active.id]],
    );
    const erasedIds = states.filter((s) => s.erased).map((s) => s.id);
    expect(erasedIds.sort()).toEqual([due.id, justDue.id].sort());
    for (const gone of [due, justDue]) {
      await request(t.http)
        .get(`/api/v1/volunteers/${gone.id}`)
        .auth(coordinator.token, { type: 'bearer' })
        .expect(404);
      await request(t.http)
        .get('/api/v1/me')
        .auth(gone.portalToken, { type: 'bearer' })
        .expect(401);
    }
    const [audit] = await t.db.query<{ actor_id: string | null; details: { reason: string } }[]>(
      `SELECT actor_id, details FROM audit_event WHERE volunteer_id = $1 AND action = 'volunteer.erased'`,
      [due.id],
    );
    expect(audit).toEqual({ actor_id: null, details: { reason: 'retention' } });
  });

  it('should run once a night across instances: a second run of the same night finds the claim', async () => {
    await closedAgo(7, 0);
    const scheduler = t.app.get(RetentionScheduler);
    const night = new Date();
    // The start-up already ran tonight's claim in beforeAll; the earlier test called
    // eraseDue directly. A tick for the same night is claimed elsewhere.
    expect(await scheduler.runDue(night)).toBe('claimed-elsewhere');
    const [{ count }] = await t.db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM scheduled_run WHERE job = 'closed-retention'`,
    );
    expect(count).toBe(1);
  });

  it('should end on the last day of a shorter month, as PostgreSQL does', () => {
    expect(retentionErasureDay(new Date('2026-08-31T10:00:00Z'), 6)).toBe('2027-02-28');
    expect(retentionErasureDay(new Date('2026-01-10T22:30:00Z'), 6)).toBe('2026-07-10'); // 23:30 in Copenhagen
  });
});
