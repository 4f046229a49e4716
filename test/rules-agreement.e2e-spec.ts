import { DateTime } from 'luxon';
import { isAlreadyHeld } from '../src/courses/course-rules';
import { attestationValidUntil } from '../src/readiness/readiness';
import { ReadinessService } from '../src/readiness/readiness.service';
import { Volunteer } from '../src/volunteers/volunteer.entity';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions, type SessionPlan } from './factories';

/**
 * Each readiness rule has a TypeScript half (src/readiness/readiness.ts, for pages and
 * the stored mark) and a SQL half (migrations/1764720000000-readiness-rules.ts, for lists
 * and counts). These run both over the same cases and expect the same answers.
 */
describe('Readiness rules in TypeScript and in SQL', () => {
  let t: TestApp;
  let staffId: string;

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: staffId }] = await t.db.query<{ id: string }[]>('SELECT id FROM staff_user LIMIT 1');
  });

  afterAll(async () => {
    await t.close();
  });

  it('should agree on the last valid day of a certificate, month ends and leap years included', async () => {
    const days: string[] = [];
    for (let d = DateTime.fromISO('2023-01-01'); d.year < 2029; d = d.plus({ days: 1 })) {
      days.push(d.toISODate()!);
    }
    const months = [1, 2, 6, 12, 13, 24, 36, 48];
    const rows = await t.db.query<{ received: string; months: number; valid_until: string }[]>(
      `SELECT to_char(d, 'YYYY-MM-DD') AS received, m AS months,
              to_char(attestation_valid_until(d, m), 'YYYY-MM-DD') AS valid_until
         FROM unnest($1::date[]) d CROSS JOIN unnest($2::int[]) m`,
      [days, months],
    );
    expect(rows).toHaveLength(days.length * months.length);
    const disagreements = rows.filter(
      (r) => attestationValidUntil(r.received, r.months) !== r.valid_until,
    );
    expect(disagreements).toEqual([]);
  });

  it("should agree on each volunteer's newest certificate and whether it holds today, and on the course (a prior completion included)", async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const today = DateTime.now().setZone('Europe/Copenhagen').startOf('day');
    const day = (d: DateTime) => d.toISODate()!;
    const lastValidDay = (validUntil: DateTime) =>
      day(validUntil.plus({ days: 1 }).minus({ months: 24 }));

    // Certificates per volunteer: [received on, result, created minutes ago].
    const certificateCases: [string, 'clean' | 'has_entries', number][][] = [
      [[day(today.minus({ days: 10 })), 'clean', 0]],
      [
        [day(today.minus({ months: 3 })), 'clean', 10],
        [day(today.minus({ days: 5 })), 'has_entries', 0],
      ],
      [
        [day(today.minus({ months: 25 })), 'clean', 10],
        [day(today.minus({ months: 1 })), 'clean', 0],
      ],
      [
        [day(today.minus({ days: 40 })), 'clean', 10],
        [day(today.minus({ days: 40 })), 'has_entries', 0],
      ],
      [[lastValidDay(today), 'clean', 0]],
      [[lastValidDay(today.minus({ days: 1 })), 'clean', 0]],
      [],
      [],
      [],
    ];
    const volunteers: string[] = [];
    for (const certificates of certificateCases) {
      const { id } = await factory.apply({ branchCode });
      volunteers.push(id);
      for (const [receivedOn, result, minutesAgo] of certificates) {
        await t.db.query(
          `INSERT INTO attestation (volunteer_id, received_on, result, verified_by, created_at)
           VALUES ($1, $2, $3, $4, now() - make_interval(mins => $5))`,
          [id, receivedOn, result, staffId, minutesAgo],
        );
      }
    }

    // Sessions: hours (fractional), topics, cancelled; then who attended which, present or not.
    const [{ id: courseId }] = await t.db.query<{ id: string }[]>(
      `INSERT INTO course (branch_id, title, capacity)
       SELECT id, 'Kursus', 12 FROM branch WHERE code = $1 RETURNING id`,
      [branchCode],
    );
    const sessionCases: [number, string[], boolean][] = [
      [3, ['frameworks'], false],
      [5, ['boundaries'], true],
      [4 / 3, ['uncrc'], false],
      [2.25, ['child_safety'], false],
      [4, ['relations'], false],
      [10, ['frameworks', 'boundaries'], false],
      [10, ['uncrc'], false],
    ];
    const sessions: string[] = [];
    for (const [i, [hours, topics, cancelled]] of sessionCases.entries()) {
      const [{ id }] = await t.db.query<{ id: string }[]>(
        `INSERT INTO course_session (course_id, starts_at, ends_at, location, cancelled_at)
         VALUES ($1, now() - make_interval(days => 20 - $2), now() - make_interval(days => 20 - $2)
                 + make_interval(secs => $3), 'Frivillighuset', CASE WHEN $4 THEN now() END)
         RETURNING id`,
        [courseId, i, Math.round(hours * 3600), cancelled],
      );
      sessions.push(id);
      for (const topic of topics) {
        await t.db.query(
          'INSERT INTO course_session_topic (session_id, topic_code) VALUES ($1, $2)',
          [id, topic],
        );
      }
    }
    // Per volunteer: [session index, present].
    // Per volunteer: [session index, present]. The last would complete only if the
    // cancelled session counted.
    const attendanceCases: [number, boolean][][] = [
      [
        [0, true],
        [2, true],
        [3, true],
        [4, true],
      ],
      [
        [0, true],
        [1, true],
        [2, false],
      ],
      [
        [5, true],
        [6, true],
        [3, true],
      ],
      [
        [5, true],
        [6, true],
        [3, false],
      ],
      [],
      [
        [0, true],
        [2, true],
        [3, true],
        [5, true],
        [6, true],
      ],
      [
        [1, true],
        [2, true],
        [3, true],
        [4, true],
        [5, true],
      ],
      // With a course completed before Klar (the spreadsheet's): nothing attended, and
      // not enough attended.
      [],
      [
        [0, true],
        [1, true],
      ],
    ];
    for (const [v, records] of attendanceCases.entries()) {
      for (const [s, present] of records) {
        await t.db.query(
          `INSERT INTO attendance (session_id, volunteer_id, present, recorded_by)
           VALUES ($1, $2, $3, $4)`,
          [sessions[s], volunteers[v], present, staffId],
        );
      }
    }

    const priorCompletions: [number, string][] = [
      [7, '2024-05-30'],
      [8, day(today.minus({ years: 1 }))],
    ];
    for (const [v, completedOn] of priorCompletions) {
      await t.db.query(
        'INSERT INTO prior_course_completion (volunteer_id, completed_on) VALUES ($1, $2)',
        [volunteers[v], completedOn],
      );
    }

    const readiness = t.app.get(ReadinessService);
    const inTypeScript = [];
    for (const id of volunteers) {
      const volunteer = await t.db.manager.findOneByOrFail(Volunteer, { id });
      const { requirements } = await readiness.assess(t.db.manager, volunteer);
      const [, certificate, course] = requirements;
      inTypeScript.push({
        id,
        certificate:
          certificate.key === 'attestation' &&
          'receivedOn' in certificate.detail &&
          certificate.detail.state !== 'missing'
            ? {
                receivedOn: certificate.detail.receivedOn,
                validUntil: certificate.detail.validUntil,
                valid: certificate.met,
              }
            : null,
        course:
          course.key === 'course' && 'hoursAttended' in course.detail
            ? {
                hoursAttended: course.detail.hoursAttended,
                missingTopics: course.detail.missingTopics,
                completed: course.met,
                priorCompletedOn: course.detail.prior?.completedOn ?? null,
              }
            : null,
      });
    }
    const rows = await t.db.query<
      {
        id: string;
        received_on: string | null;
        valid_until: string | null;
        valid: boolean | null;
        hours_attended: string;
        missing_topics: string[];
        completed: boolean;
        prior_completed_on: string | null;
      }[]
    >(
      `SELECT p.volunteer_id AS id, to_char(c.received_on, 'YYYY-MM-DD') AS received_on,
              to_char(c.valid_until, 'YYYY-MM-DD') AS valid_until, c.valid,
              p.hours_attended, p.missing_topics, p.completed,
              to_char(p.prior_completed_on, 'YYYY-MM-DD') AS prior_completed_on
         FROM volunteer_course_progress p
         LEFT JOIN volunteer_certificate c ON c.volunteer_id = p.volunteer_id
        WHERE p.volunteer_id = ANY($1)`,
      [volunteers],
    );
    const inSql = volunteers.map((id) => {
      const row = rows.find((r) => r.id === id)!;
      return {
        id,
        certificate:
          row.received_on === null
            ? null
            : { receivedOn: row.received_on, validUntil: row.valid_until, valid: row.valid },
        course: {
          hoursAttended: Number(row.hours_attended),
          missingTopics: row.missing_topics,
          completed: row.completed,
          priorCompletedOn: row.prior_completed_on,
        },
      };
    });

    expect(inSql).toEqual(inTypeScript);
    // The cases cover each outcome, so agreeing is not agreeing on one answer.
    expect(inSql.map((v) => v.certificate?.valid ?? null)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      null,
      null,
      null,
    ]);
    expect(inSql.map((v) => v.course.completed)).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(inSql.map((v) => v.course.priorCompletedOn !== null)).toEqual([
      ...Array<boolean>(7).fill(false),
      true,
      true,
    ]);
  });

  it('should agree that a course has ended: every session over in TypeScript, the view course_progress in SQL', async () => {
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const { token } = await factory.coordinator(branchCode);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const justOver: SessionPlan[] = [
      { ...fullCourseSessions(-3)[0] },
      { ...fullCourseSessions(-3)[1], startsAt: minutesAgo(120), endsAt: minutesAgo(1) },
    ];
    const underWay: SessionPlan[] = [
      { ...fullCourseSessions(-3)[0] },
      { ...fullCourseSessions(-3)[1], startsAt: minutesAgo(60), endsAt: minutesAgo(-60) },
    ];
    const cases = [
      fullCourseSessions(-20),
      fullCourseSessions(-2),
      fullCourseSessions(5),
      justOver,
      underWay,
    ];
    const now = new Date();
    const inTypeScript = cases.map((sessions) =>
      isAlreadyHeld(
        sessions.map((s) => ({ startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) })),
        now,
      ),
    );
    const inSql: boolean[] = [];
    for (const sessions of cases) {
      const course = await createCourse(t, token, { branchCode, sessions });
      const [{ ended }] = await t.db.query<{ ended: boolean }[]>(
        'SELECT ended FROM course_progress WHERE course_id = $1',
        [course.id],
      );
      inSql.push(ended);
    }
    expect(inTypeScript).toEqual([true, false, false, true, false]);
    expect(inSql).toEqual(inTypeScript);
  });
});
