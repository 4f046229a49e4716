import request from 'supertest';
import { hashPassword } from '../src/auth/passwords';
import {
  nationalCoordinatorEmail,
  SESSIONS_PER_COURSE,
  seedNational,
} from '../bench/national-seed';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp } from './app';
import { COORDINATOR_PASSWORD } from './factories';
import { signedInAgent } from './pages';

/**
 * Every staff page and API sends the same number of SQL statements whatever the size of
 * the branch: no statement per volunteer, visit, certificate, booking or session. The
 * same organisation is made twice (bench/national-seed.ts, two branches at every stage
 * with visits, certificates, courses, bookings, attendance, notes and history), once
 * with 10 volunteers a branch and once with 100, and each page is counted on both. On
 * the large run the volunteer and the course the record and course routes look at get
 * more of every item (addItems), and every list and pool filter shows more volunteers.
 */
type Counts = Record<string, number>;

/** How many of each thing the looked-at volunteer and course get on top of the seed. */
interface Extra {
  notes: number;
  visits: number;
  certificates: number;
  bookings: number;
  events: number;
  sessions: number;
  participants: number;
}

/** At least one of each on the small run, so every kind of item is there on both. */
const SMALL: Extra = {
  notes: 1,
  visits: 1,
  certificates: 1,
  bookings: 1,
  events: 1,
  sessions: 1,
  participants: 1,
};
/** 8 notes more, 3 visits (a cancelled one), bookings on several courses, 10 sessions. */
const LARGE: Extra = {
  notes: 8,
  visits: 3,
  certificates: 2,
  bookings: 3,
  events: 12,
  sessions: 5,
  participants: 25,
};

/**
 * The seed gives every volunteer at most one visit, certificate and booking and 1-2
 * notes, and every course 5 sessions, whatever its size: more of each here, for the
 * volunteer and the course the record and course routes look at, so a statement per
 * note, visit, certificate, booking, event, session or participant shows as a difference.
 * Extra visits and certificates lie before the seeded ones, so the stage stays as it is.
 */
async function addItems(
  run: (sql: string, params?: unknown[]) => Promise<unknown>,
  volunteerId: string,
  courseId: string,
  extra: Extra,
): Promise<void> {
  const owner = `(SELECT b.id AS branch_id, s.id AS staff_id, v.created_at AS applied_at
                    FROM volunteer v JOIN branch b ON b.id = v.branch_id
                    JOIN staff_user s ON s.branch_id = b.id AND s.role = 'coordinator'
                   WHERE v.id = $1 LIMIT 1)`;
  await run(
    `INSERT INTO volunteer_note (volunteer_id, author_id, text, topic, created_at)
     SELECT $1, o.staff_id, 'Ekstra note ' || i,
            (ARRAY['home_visit', 'attestation', 'course', NULL])[1 + i % 4],
            o.applied_at + make_interval(hours => i)
       FROM ${owner} o, generate_series(1, ${extra.notes}) AS i`,
    [volunteerId],
  );
  // Earlier visits: the first cancelled, the rest held with a follow-up.
  await run(
    `INSERT INTO home_visit (volunteer_id, scheduled_at, outcome, held_at, outcome_at, outcome_by,
                             cancelled_at, cancelled_by, created_by, created_at, notes)
     SELECT $1, o.applied_at + make_interval(days => 1, hours => i),
            CASE WHEN i > 1 THEN 'follow_up' END,
            CASE WHEN i > 1 THEN o.applied_at + make_interval(days => 1, hours => i) END,
            CASE WHEN i > 1 THEN o.applied_at + make_interval(days => 1, hours => i + 1) END,
            CASE WHEN i > 1 THEN o.staff_id END,
            CASE WHEN i = 1 THEN o.applied_at + make_interval(hours => 12) END,
            CASE WHEN i = 1 THEN o.staff_id END,
            o.staff_id, o.applied_at + make_interval(hours => i), 'Besøg ' || i
       FROM ${owner} o, generate_series(1, ${extra.visits}) AS i`,
    [volunteerId],
  );
  await run(
    `INSERT INTO attestation (volunteer_id, requested_on, received_on, result, verified_by, created_at)
     SELECT $1, (o.applied_at - make_interval(days => 400 + 10 * i))::date,
            (o.applied_at - make_interval(days => 390 + 10 * i))::date, 'clean', o.staff_id,
            o.applied_at - make_interval(days => 390 + 10 * i)
       FROM ${owner} o, generate_series(1, ${extra.certificates}) AS i`,
    [volunteerId],
  );
  // Bookings on courses of their own (a small seed has one course a branch), each with
  // a session ahead: the first cancelled, the rest booked.
  await run(
    `INSERT INTO course (branch_id, title, capacity, location, created_at)
     SELECT o.branch_id, 'Ekstra kursus ' || i, 30, 'Frivillighuset', now() - interval '10 days'
       FROM ${owner} o, generate_series(1, ${extra.bookings}) AS i`,
    [volunteerId],
  );
  await run(
    `INSERT INTO course_session (course_id, starts_at, ends_at, location, created_at)
     SELECT c.id, date_trunc('day', now()) + make_interval(days => 30 + substr(c.title, 15)::int, hours => 17),
            date_trunc('day', now()) + make_interval(days => 30 + substr(c.title, 15)::int, hours => 21),
            'Frivillighuset', now() - interval '10 days'
       FROM course c JOIN volunteer v ON v.branch_id = c.branch_id
      WHERE v.id = $1 AND c.title LIKE 'Ekstra kursus %'`,
    [volunteerId],
  );
  await run(
    `INSERT INTO booking (course_id, volunteer_id, status, created_at, cancelled_at)
     SELECT c.id, v.id, CASE WHEN c.title = 'Ekstra kursus 1' THEN 'cancelled' ELSE 'booked' END,
            now() - interval '5 days',
            CASE WHEN c.title = 'Ekstra kursus 1' THEN now() - interval '4 days' END
       FROM course c JOIN volunteer v ON v.branch_id = c.branch_id
      WHERE v.id = $1 AND c.title LIKE 'Ekstra kursus %'`,
    [volunteerId],
  );
  await run(
    `INSERT INTO audit_event (occurred_at, actor_id, action, branch_id, volunteer_id, details)
     SELECT o.applied_at + make_interval(hours => i), o.staff_id,
            (ARRAY['volunteer.note_added', 'attestation.viewed', 'home_visit.rescheduled',
                   'volunteer.exported'])[1 + i % 4], o.branch_id, $1, '{}'::jsonb
       FROM ${owner} o, generate_series(1, ${extra.events}) AS i`,
    [volunteerId],
  );
  // Sessions on the course's own days, in the morning, each with a topic.
  await run(
    `INSERT INTO course_session (course_id, starts_at, ends_at, location, created_at)
     SELECT $1, s.starts_at - interval '8 hours', s.starts_at - interval '6 hours', 'Ekstra lokale', s.created_at
       FROM (SELECT starts_at, created_at, row_number() OVER (ORDER BY starts_at) AS i
               FROM course_session WHERE course_id = $1) s
      WHERE s.i <= ${extra.sessions}`,
    [courseId],
  );
  await run(
    `INSERT INTO course_session_topic (session_id, topic_code)
     SELECT id, 'relations' FROM course_session WHERE course_id = $1 AND location = 'Ekstra lokale'`,
    [courseId],
  );
  // More participants from the course's branch, with capacity for them.
  await run(
    `INSERT INTO booking (course_id, volunteer_id, status, created_at)
     SELECT $1, v.id, 'booked', now() - interval '1 day'
       FROM volunteer v JOIN course c ON c.id = $1 AND c.branch_id = v.branch_id
      WHERE v.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM booking k WHERE k.volunteer_id = v.id AND k.status <> 'cancelled')
      ORDER BY v.id LIMIT ${extra.participants}`,
    [courseId],
  );
  await run(
    `UPDATE course SET capacity = (SELECT count(*) FROM booking k WHERE k.course_id = $1 AND k.status = 'booked') + 3
      WHERE id = $1`,
    [courseId],
  );
  // Everyone booked is marked on every session that has ended.
  await run(
    `INSERT INTO attendance (session_id, volunteer_id, present, recorded_by, recorded_at)
     SELECT s.id, k.volunteer_id, true, u.id, s.ends_at
       FROM course_session s JOIN course c ON c.id = s.course_id
       JOIN staff_user u ON u.branch_id = c.branch_id AND u.role = 'coordinator'
       JOIN booking k ON k.course_id = s.course_id AND k.status = 'booked'
      WHERE s.course_id = $1 AND s.ends_at < now()
     ON CONFLICT DO NOTHING`,
    [courseId],
  );
}

async function countQueries(
  volunteers: number,
  extra: Extra,
): Promise<{ counts: Counts; rows: Counts }> {
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
    await addItems((sql, params) => t.db.query(sql, params), volunteerId, courseId, extra);
    const [items] = await t.db.query<Record<string, number>[]>(
      `SELECT (SELECT count(*) FROM volunteer_note WHERE volunteer_id = $1)::int AS notes,
              (SELECT count(*) FROM home_visit WHERE volunteer_id = $1)::int AS visits,
              (SELECT count(*) FROM home_visit WHERE volunteer_id = $1 AND cancelled_at IS NOT NULL)::int AS cancelled,
              (SELECT count(*) FROM attestation WHERE volunteer_id = $1)::int AS certificates,
              (SELECT count(DISTINCT course_id) FROM booking WHERE volunteer_id = $1)::int AS courses,
              (SELECT count(*) FROM audit_event WHERE volunteer_id = $1)::int AS events,
              (SELECT count(*) FROM course_session WHERE course_id = $2)::int AS sessions,
              (SELECT count(*) FROM booking WHERE course_id = $2 AND status = 'booked')::int AS participants`,
      [volunteerId, courseId],
    );
    expect(items.notes).toBeGreaterThan(extra.notes);
    expect(items.visits).toBe(extra.visits + 1);
    expect(items.cancelled).toBe(1);
    expect(items.certificates).toBe(extra.certificates + 1);
    expect(items.courses).toBe(extra.bookings + 1);
    expect(items.events).toBeGreaterThan(extra.events);
    expect(items.sessions).toBe(SESSIONS_PER_COURSE + extra.sessions);
    expect(items.participants).toBeGreaterThan(booked + extra.participants - 1);

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
      'volunteer list, search': { path: '/staff/volunteers?q=sen', as: 'coordinator' },
      'volunteer list, matchable': {
        path: '/staff/volunteers?stage=matchable',
        as: 'coordinator',
      },
      'volunteer list, postcode': { path: '/staff/volunteers?postcode=1', as: 'coordinator' },
      ...Object.fromEntries(
        ['name', '-name', 'appliedAt', '-appliedAt', 'stage', '-stage'].map((sort) => [
          `volunteer list, sort ${sort}`,
          { path: `/staff/volunteers?sort=${sort}`, as: 'coordinator' as const },
        ]),
      ),
      'volunteer list API, matchable, postcode, sort': {
        path: '/api/v1/volunteers?stage=matchable&postcode=1&sort=-appliedAt',
        as: 'api',
      },
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
      'pool, postcode': { path: '/staff/pool?postcode=1', as: 'coordinator' },
      'pool, availability': { path: '/staff/pool?availability=weekend', as: 'coordinator' },
      'pool, language': { path: '/staff/pool?language=ar', as: 'coordinator' },
      'pool, every filter': {
        path: '/staff/pool?postcode=1&availability=weekend&language=da',
        as: 'coordinator',
      },
      'year figures': { path: `/staff/reports/year?year=${year}`, as: 'coordinator' },
      'year figures API': { path: `/api/v1/reports/year?year=${year}`, as: 'api' },
      'dashboard, national': { path: '/staff', as: 'admin' },
      'volunteer list, national': { path: '/staff/volunteers', as: 'admin' },
      'year figures, national': { path: `/staff/reports/year?year=${year}`, as: 'admin' },
    };
    const counts: Counts = {};
    const rows: Counts = {};
    for (const [name, { path, as }] of Object.entries(pages)) {
      const get = () =>
        as === 'api'
          ? request(t.http).get(path).auth(token, { type: 'bearer' })
          : (as === 'admin' ? admin : coordinator).get(path);
      // Once untagged first, so nothing filled on a first visit (a cache) counts.
      await get().expect(200);
      const probe = t.queryLog.probe();
      const res = await get().set(probe.headers).expect(200);
      counts[name] = probe.queries().length;
      // The volunteers a list or the pool shows: links to records, or the API's items.
      if (/^\/(staff|api\/v1)\/(volunteers|pool)(\?|$)/.test(path)) {
        rows[name] =
          as === 'api'
            ? (res.body as { items: unknown[] }).items.length
            : (res.text.match(/href="\/staff\/volunteers\/[0-9a-f-]{36}"/g) ?? []).length;
      }
    }
    return { counts, rows };
  } finally {
    await t.close();
  }
}

describe('queries per staff page as the data grows', () => {
  it('should send the same number of queries for 10 volunteers a branch as for 100', async () => {
    const small = await countQueries(20, SMALL);
    const large = await countQueries(200, LARGE);
    expect(Object.keys(small.counts)).toHaveLength(32);
    expect(Object.values(small.counts).every((n) => n > 0)).toBe(true);
    // Every list and pool filter shows someone on the small run and more on the large.
    expect(Object.keys(small.rows)).toHaveLength(19);
    for (const [name, n] of Object.entries(small.rows)) {
      expect([name, n > 0, large.rows[name] > n]).toEqual([name, true, true]);
    }
    expect(large.counts).toEqual(small.counts);
  });
});
