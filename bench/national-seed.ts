/**
 * A national organisation in straight SQL (generate_series, INSERT … SELECT), for
 * `npm run bench:national` and its smoke test: branches with a coordinator each,
 * volunteers over the branches at every stage with the facts behind the stage (home
 * visits, certificates, bookings and attendance on the branch's courses), notes and the
 * audit trail the record shows. The stored stages agree with the readiness rules in SQL:
 * a matchable volunteer has an approved visit, a valid clean certificate and the whole
 * course attended; an approved one lacks the certificate or part of the course.
 *
 * Statements run one at a time with the sizes written in (whole numbers only) and the
 * password hash as the one parameter, so the same seed runs through `pg` and through the embedded PGlite. The
 * scratch tables (`national_seed_*`) are ordinary tables, dropped at the end, so a pool
 * may run each statement on another connection.
 */

export interface NationalSize {
  volunteers: number;
  branches: number;
}

export interface NationalSeedOptions extends NationalSize {
  /** The argon2 hash every coordinator signs in with. */
  passwordHash: string;
}

export type RunSql = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Coordinator of the branch numbered `n` (1-based). */
export const nationalCoordinatorEmail = (n: number) => `coordinator@${nationalBranchCode(n)}.klar`;
export const nationalBranchCode = (n: number) => `national-${String(n).padStart(3, '0')}`;

/** Sessions per course: 4 hours each, 20 in all, the curriculum's required hours. */
export const SESSIONS_PER_COURSE = 5;

/** 2,000 courses for 100,000 volunteers, at least one per branch. */
export function nationalCourses({ volunteers, branches }: NationalSize): number {
  const perBranch = Math.max(1, Math.round((2000 * volunteers) / 100_000 / branches));
  return perBranch * branches;
}

const whole = (value: number, name: string) => {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1, got ${value}`);
  }
  return value;
};

/**
 * Stage by (n / branches) % 10, so every branch has every stage: 20% applied, 10% visit
 * scheduled, 20% approved, 30% matchable, 10% declined, 10% withdrawn.
 */
const STAGES = `ARRAY['applied', 'applied', 'visit_scheduled', 'approved', 'approved',
                      'matchable', 'matchable', 'matchable', 'declined', 'withdrawn']`;

/** The topics of each session of a course, by its place (1-5): the mandatory four and the rest. */
const SESSION_TOPICS = `
  (1, 'frameworks'), (2, 'boundaries'), (3, 'uncrc'), (4, 'child_safety'),
  (5, 'relations'), (5, 'diverse_families')`;

/** The statements in order, each a string or one with its parameters. */
function statements({ volunteers, branches, passwordHash }: NationalSeedOptions) {
  const N = whole(volunteers, 'volunteers');
  const B = whole(branches, 'branches');
  const K = nationalCourses({ volunteers: N, branches: B }) / B;
  return [
    `INSERT INTO branch (code, name, postcodes, contact_email)
     SELECT 'national-' || lpad(b::text, 3, '0'), 'Home-Start Region ' || b,
            ARRAY[lpad((1000 + (b * 97) % 8900)::text, 4, '0')],
            'region' || b || '@national.klar'
       FROM generate_series(1, ${B}) AS b`,
    [
      `INSERT INTO staff_user (email, name, role, branch_id, password_hash)
       SELECT 'coordinator@' || b.code || '.klar', 'Koordinator ' || b.name, 'coordinator', b.id, $1
         FROM branch b WHERE b.code LIKE 'national-%'`,
      [passwordHash],
    ] as const,
    // bi: the branch's place 0..B-1, as volunteer n lands in branch n % B.
    `CREATE TABLE national_seed_branch AS
     SELECT (substr(b.code, 10)::int - 1) AS bi, b.id, s.id AS coordinator_id
       FROM branch b JOIN staff_user s ON s.branch_id = b.id
      WHERE b.code LIKE 'national-%'`,
    // K courses a branch, their starts spread from 420 days ago to 120 days ahead.
    `CREATE TABLE national_seed_course AS
     SELECT c.*, c.start_day + ${7 * (SESSIONS_PER_COURSE - 1)} < current_date AS ended
       FROM (SELECT gen_random_uuid() AS id, b.bi, b.id AS branch_id, k,
                    current_date - 420 + ${K > 1 ? `(k * 540) / ${K - 1}` : '0'} AS start_day
               FROM national_seed_branch b, generate_series(0, ${K - 1}) AS k) c`,
    `CREATE INDEX national_seed_course_bi ON national_seed_course (bi, start_day)`,
    `INSERT INTO course (id, branch_id, title, capacity, location, created_at)
     SELECT c.id, c.branch_id, 'Grundkursus ' || (c.k + 1), 30, 'Frivillighuset',
            (c.start_day - 60)::timestamp AT TIME ZONE 'Europe/Copenhagen'
       FROM national_seed_course c`,
    // Weekly sessions, 17:00-21:00 Copenhagen time.
    `CREATE TABLE national_seed_session AS
     SELECT gen_random_uuid() AS id, c.id AS course_id, s AS place,
            ((c.start_day + 7 * (s - 1))::timestamp + time '17:00') AT TIME ZONE 'Europe/Copenhagen' AS starts_at,
            ((c.start_day + 7 * (s - 1))::timestamp + time '21:00') AT TIME ZONE 'Europe/Copenhagen' AS ends_at
       FROM national_seed_course c, generate_series(1, ${SESSIONS_PER_COURSE}) AS s`,
    `INSERT INTO course_session (id, course_id, starts_at, ends_at, location, created_at)
     SELECT id, course_id, starts_at, ends_at, 'Frivillighuset, lokale ' || place, starts_at - interval '60 days'
       FROM national_seed_session`,
    `INSERT INTO course_session_topic (session_id, topic_code)
     SELECT s.id, t.code FROM national_seed_session s
       JOIN (VALUES ${SESSION_TOPICS}) AS t(place, code) ON t.place = s.place`,
    // The volunteers' facts: stage, the day they applied (long enough ago for the
    // steps their stage needs), and for the course-goers the course they took.
    `CREATE TABLE national_seed_volunteer AS
     SELECT n, gen_random_uuid() AS id, n % ${B} AS bi, (n / ${B}) / 10 AS sub,
            (${STAGES})[1 + (n / ${B}) % 10] AS stage,
            now() - make_interval(mins => (n * 7) % 1440) - make_interval(days =>
              CASE (${STAGES})[1 + (n / ${B}) % 10]
                WHEN 'applied' THEN (n * 7919) % 60
                WHEN 'visit_scheduled' THEN 5 + (n * 7919) % 60
                WHEN 'approved' THEN 40 + (n * 7919) % 400
                WHEN 'matchable' THEN 70 + (n * 7919) % 470
                WHEN 'declined' THEN 20 + (n * 7919) % 400
                ELSE 1 + (n * 7919) % 500
              END) AS applied_at
       FROM generate_series(1, ${N}) AS n`,
    // Matchable: the first finished course of the branch starting 11 days after applying
    // (visit and certificate first), else the branch's last finished one. Approved: a
    // third booked on a course yet to start, a third part-way through a finished one.
    `ALTER TABLE national_seed_volunteer ADD COLUMN course_id uuid, ADD COLUMN attended int`,
    `UPDATE national_seed_volunteer v
        SET course_id = coalesce(
              (SELECT c.id FROM national_seed_course c
                WHERE c.bi = v.bi AND c.ended AND c.start_day >= (v.applied_at)::date + 11
                ORDER BY c.start_day LIMIT 1),
              (SELECT c.id FROM national_seed_course c
                WHERE c.bi = v.bi AND c.ended ORDER BY c.start_day DESC LIMIT 1)),
            attended = ${SESSIONS_PER_COURSE}
      WHERE v.stage = 'matchable'`,
    `UPDATE national_seed_volunteer v
        SET course_id = (SELECT c.id FROM national_seed_course c
                          WHERE c.bi = v.bi AND c.start_day > current_date
                          ORDER BY c.start_day LIMIT 1 OFFSET (v.sub % 2)),
            attended = 0
      WHERE v.stage = 'approved' AND v.sub % 3 = 0`,
    `UPDATE national_seed_volunteer v
        SET course_id = (SELECT c.id FROM national_seed_course c
                          WHERE c.bi = v.bi AND c.ended ORDER BY c.start_day DESC LIMIT 1 OFFSET (v.sub % 3)),
            attended = 3
      WHERE v.stage = 'approved' AND v.sub % 3 = 1`,
    // A matchable volunteer without a finished course in the branch (a tiny seed) stays approved.
    `UPDATE national_seed_volunteer SET stage = 'approved' WHERE stage = 'matchable' AND course_id IS NULL`,
    `CREATE INDEX national_seed_volunteer_id ON national_seed_volunteer (id)`,
    `INSERT INTO volunteer (id, branch_id, first_name, last_name, email, phone, postcode, motivation,
                            availability, languages, consent_at, status, closed_at, closed_reason,
                            stage, matchable_since, matchable_until, created_at, updated_at)
     SELECT v.id, b.id,
            (ARRAY['Anne', 'Mette', 'Søren', 'Jens', 'Karen', 'Lars', 'Ida', 'Mikkel', 'Sofie',
                   'Åse', 'Ægir', 'Fatima'])[1 + v.n % 12],
            (ARRAY['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen',
                   'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen',
                   'Olsen', 'Thomsen', 'Ærenlund', 'Aagaard'])[1 + (v.n / 12) % 17],
            'frivillig' || v.n || '@national.klar', '+45 ' || (20000000 + v.n)::text,
            lpad((1000 + (v.n * 31) % 8990)::text, 4, '0'), 'Jeg vil gerne hjælpe en familie.',
            ((ARRAY['{weekday_evening}', '{weekend}', '{weekday_morning,weekend}',
                    '{weekday_afternoon}'])[1 + v.n % 4])::text[],
            ((ARRAY['{da}', '{da,en}', '{da,ar}', '{da,pl}', '{da,uk}'])[1 + v.n % 5])::text[],
            v.applied_at,
            CASE v.stage WHEN 'declined' THEN 'declined' WHEN 'withdrawn' THEN 'withdrawn' ELSE 'active' END,
            CASE v.stage WHEN 'declined' THEN v.applied_at + interval '11 days'
                         WHEN 'withdrawn' THEN least(now(), v.applied_at + make_interval(days => v.n % 40)) END,
            CASE WHEN v.stage = 'withdrawn' THEN 'Har ikke tid alligevel' END,
            v.stage,
            CASE WHEN v.stage = 'matchable' THEN greatest(v.applied_at + interval '21 days', s.ends_at) END,
            CASE WHEN v.stage = 'matchable'
                 THEN attestation_valid_until((v.applied_at + interval '20 days')::date, r.attestation_valid_months) END,
            v.applied_at, now()
       FROM national_seed_volunteer v
       JOIN national_seed_branch b ON b.bi = v.bi
       CROSS JOIN rule_settings r
       LEFT JOIN LATERAL (SELECT max(x.ends_at) AS ends_at FROM national_seed_session x
                           WHERE x.course_id = v.course_id) s ON true`,
    // Visits: planned (past week to three weeks ahead) for visit_scheduled; held and
    // approved 10 days after applying for approved and matchable; declined for declined.
    `INSERT INTO home_visit (volunteer_id, scheduled_at, outcome, held_at, outcome_at, outcome_by,
                             created_by, created_at, notes)
     SELECT v.id,
            CASE WHEN v.stage = 'visit_scheduled'
                 THEN date_trunc('hour', now()) + make_interval(days => v.n % 21 - 3, hours => 1)
                 ELSE v.applied_at + interval '10 days' END,
            CASE v.stage WHEN 'visit_scheduled' THEN NULL WHEN 'declined' THEN 'declined' ELSE 'approved' END,
            CASE WHEN v.stage <> 'visit_scheduled' THEN v.applied_at + interval '10 days' END,
            CASE WHEN v.stage <> 'visit_scheduled' THEN v.applied_at + interval '10 days 2 hours' END,
            CASE WHEN v.stage <> 'visit_scheduled' THEN b.coordinator_id END,
            b.coordinator_id, v.applied_at + interval '2 days',
            CASE WHEN v.stage <> 'visit_scheduled' THEN 'God samtale om forventninger.' END
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
      WHERE v.stage IN ('visit_scheduled', 'approved', 'matchable', 'declined')`,
    // Certificates: every matchable volunteer's, clean, 20 days after applying; half the
    // approved have a clean one, a tenth of them one with entries.
    `INSERT INTO attestation (volunteer_id, requested_on, received_on, result, verified_by, created_at)
     SELECT v.id, (v.applied_at + interval '12 days')::date, (v.applied_at + interval '20 days')::date,
            CASE WHEN v.stage = 'approved' AND v.sub % 10 = 5 THEN 'has_entries' ELSE 'clean' END,
            b.coordinator_id, v.applied_at + interval '20 days'
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
      WHERE v.stage = 'matchable' OR (v.stage = 'approved' AND v.sub % 2 = 1)`,
    `INSERT INTO booking (course_id, volunteer_id, status, created_at)
     SELECT v.course_id, v.id, 'booked', least(now(), v.applied_at + interval '11 days')
       FROM national_seed_volunteer v WHERE v.course_id IS NOT NULL`,
    `UPDATE course c
        SET capacity = least(500, greatest(12, (SELECT count(*) FROM booking k WHERE k.course_id = c.id) + 3))
      WHERE c.id IN (SELECT id FROM national_seed_course)`,
    // Attendance of the course-goers: every session of the finished course for the
    // matchable; the first three (and absent from the rest) for the approved part-way.
    `INSERT INTO attendance (session_id, volunteer_id, present, recorded_by, recorded_at)
     SELECT s.id, v.id, s.place <= v.attended, b.coordinator_id, s.ends_at
       FROM national_seed_volunteer v
       JOIN national_seed_branch b ON b.bi = v.bi
       JOIN national_seed_session s ON s.course_id = v.course_id
      WHERE v.attended > 0`,
    `INSERT INTO volunteer_note (volunteer_id, author_id, text, topic, created_at)
     SELECT v.id, b.coordinator_id, 'Ringet op; aftalt at vende tilbage om besøget.', 'home_visit',
            v.applied_at + interval '1 day'
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
      WHERE v.n % 3 = 0
     UNION ALL
     SELECT v.id, b.coordinator_id, 'Spurgt til børneattesten.', 'attestation', v.applied_at + interval '15 days'
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
      WHERE v.n % 6 = 0 AND v.stage IN ('approved', 'matchable')`,
    `INSERT INTO audit_event (occurred_at, actor_id, action, branch_id, volunteer_id, details)
     SELECT v.applied_at, NULL, 'application.received', b.id, v.id, '{}'::jsonb
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
     UNION ALL
     SELECT h.created_at, h.created_by, 'home_visit.scheduled', b.id, v.id,
            jsonb_build_object('visitId', h.id)
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
       JOIN home_visit h ON h.volunteer_id = v.id
     UNION ALL
     SELECT h.outcome_at, h.outcome_by, 'home_visit.' || h.outcome, b.id, v.id,
            jsonb_build_object('visitId', h.id)
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
       JOIN home_visit h ON h.volunteer_id = v.id AND h.outcome IS NOT NULL
     UNION ALL
     SELECT a.created_at, a.verified_by, 'attestation.recorded', b.id, v.id,
            jsonb_build_object('attestationId', a.id)
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
       JOIN attestation a ON a.volunteer_id = v.id
     UNION ALL
     SELECT k.created_at, b.coordinator_id, 'booking.booked', b.id, v.id,
            jsonb_build_object('courseId', k.course_id)
       FROM national_seed_volunteer v JOIN national_seed_branch b ON b.bi = v.bi
       JOIN booking k ON k.volunteer_id = v.id`,
    `DROP TABLE national_seed_volunteer, national_seed_session, national_seed_course, national_seed_branch`,
    `ANALYZE`,
  ];
}

/** Seeds the organisation; answers the seconds it took. */
export async function seedNational(run: RunSql, options: NationalSeedOptions): Promise<number> {
  const started = performance.now();
  for (const statement of statements(options)) {
    if (typeof statement === 'string') {
      await run(statement);
    } else {
      await run(statement[0], [...statement[1]]);
    }
  }
  return (performance.now() - started) / 1000;
}
