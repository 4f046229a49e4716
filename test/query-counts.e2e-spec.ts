import request from 'supertest';
import { hashPassword } from '../src/auth/passwords';
import { nationalCoordinatorEmail, seedNational } from '../bench/national-seed';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp } from './app';
import { COORDINATOR_PASSWORD } from './factories';
import { signedInAgent } from './pages';

/**
 * Every staff page and API sends the same number of SQL statements whatever the size of
 * the branch: no statement per volunteer, visit, certificate, booking or session. The
 * same organisation is made twice (bench/national-seed.ts, two branches at every stage
 * with visits, certificates, courses, bookings, attendance, notes and history), once
 * with 10 volunteers a branch and once with 100, and each page is counted on both.
 */
type Counts = Record<string, number>;

async function countQueries(volunteers: number): Promise<Counts> {
  const t = await createTestApp();
  try {
    await seedNational((sql, params) => t.db.query(sql, params), {
      volunteers,
      branches: 2,
      passwordHash: await hashPassword(COORDINATOR_PASSWORD),
    });
    // The record of a matchable volunteer with notes, and the branch's busiest course.
    const [{ volunteerId }] = await t.db.query<{ volunteerId: string }[]>(
      `SELECT v.id AS "volunteerId" FROM volunteer v JOIN branch b ON b.id = v.branch_id
        WHERE b.code = 'national-001' AND v.stage = 'matchable'
          AND EXISTS (SELECT 1 FROM volunteer_note n WHERE n.volunteer_id = v.id)
        ORDER BY v.created_at LIMIT 1`,
    );
    const [{ courseId, booked }] = await t.db.query<{ courseId: string; booked: number }[]>(
      `SELECT c.id AS "courseId", (SELECT count(*) FROM booking k WHERE k.course_id = c.id)::int AS booked
         FROM course c JOIN branch b ON b.id = c.branch_id
        WHERE b.code = 'national-001'
        ORDER BY booked DESC, c.id LIMIT 1`,
    );
    expect(booked).toBeGreaterThan(volunteers / 20);

    const coordinator = await signedInAgent(t, nationalCoordinatorEmail(1), COORDINATOR_PASSWORD);
    const admin = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const token = (
      await request(t.http)
        .post('/api/v1/auth/token')
        .send({ email: nationalCoordinatorEmail(1), password: COORDINATOR_PASSWORD })
        .expect(201)
    ).body.token as string;
    const year = new Date().getFullYear();
    const pages: Record<string, { path: string; as: 'coordinator' | 'admin' | 'api' }> = {
      dashboard: { path: '/staff', as: 'coordinator' },
      'volunteer list': { path: '/staff/volunteers', as: 'coordinator' },
      'volunteer list, stage filter': {
        path: '/staff/volunteers?stage=approved',
        as: 'coordinator',
      },
      'volunteer list, search': { path: '/staff/volunteers?q=jensen', as: 'coordinator' },
      'volunteer list API': { path: '/api/v1/volunteers', as: 'api' },
      'volunteer record': { path: `/staff/volunteers/${volunteerId}`, as: 'coordinator' },
      'volunteer record API': { path: `/api/v1/volunteers/${volunteerId}`, as: 'api' },
      'volunteer history API': { path: `/api/v1/volunteers/${volunteerId}/history`, as: 'api' },
      'course page': { path: `/staff/courses/${courseId}`, as: 'coordinator' },
      'course API': { path: `/api/v1/courses/${courseId}`, as: 'api' },
      'attendance register': { path: `/staff/courses/${courseId}/attendance`, as: 'coordinator' },
      'attendance API': { path: `/api/v1/courses/${courseId}/attendance`, as: 'api' },
      courses: { path: '/staff/courses', as: 'coordinator' },
      pool: { path: '/staff/pool', as: 'coordinator' },
      'year figures': { path: `/staff/reports/year?year=${year}`, as: 'coordinator' },
      'year figures API': { path: `/api/v1/reports/year?year=${year}`, as: 'api' },
      'dashboard, national': { path: '/staff', as: 'admin' },
      'volunteer list, national': { path: '/staff/volunteers', as: 'admin' },
      'year figures, national': { path: `/staff/reports/year?year=${year}`, as: 'admin' },
    };
    const counts: Counts = {};
    for (const [name, { path, as }] of Object.entries(pages)) {
      const get = () =>
        as === 'api'
          ? request(t.http).get(path).auth(token, { type: 'bearer' })
          : (as === 'admin' ? admin : coordinator).get(path);
      // Once untagged first, so nothing filled on a first visit (a cache) counts.
      await get().expect(200);
      const probe = t.queryLog.probe();
      await get().set(probe.headers).expect(200);
      counts[name] = probe.queries().length;
    }
    return counts;
  } finally {
    await t.close();
  }
}

describe('queries per staff page as the data grows', () => {
  it('should send the same number of queries for 10 volunteers a branch as for 100', async () => {
    const small = await countQueries(20);
    const large = await countQueries(200);
    expect(Object.keys(small)).toHaveLength(19);
    expect(Object.values(small).every((n) => n > 0)).toBe(true);
    expect(large).toEqual(small);
  });
});
