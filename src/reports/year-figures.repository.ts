import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export const WITHDRAWN_STAGES = ['applied', 'visit_scheduled', 'approved', 'matchable'] as const;
export type WithdrawnStage = (typeof WITHDRAWN_STAGES)[number];

export interface YearFigures {
  applications: number;
  homeVisits: number;
  approved: number;
  declined: number;
  attestations: number;
  coursesHeld: number;
  courseHours: number;
  completedCourse: number;
  becameMatchable: number;
  withdrawn: number;
  withdrawnByStage: Record<WithdrawnStage, number>;
  medianDaysToMatchable: number | null;
}

/** For the page: the median days from application to each step, of those who became matchable. */
export interface StepMedians {
  approved: number | null;
  attestation: number | null;
  course: number | null;
  matchable: number | null;
}

/**
 * The year's figures, counted from the records by the dates of the events themselves,
 * never from the stored stage (which says where someone is today): so a withdrawal next
 * year, or a certificate that ran out since, does not change a year already over.
 *
 * The facts and where they live:
 * - applied: volunteer.created_at;
 * - a home visit held, with its outcome: home_visit.held_at and outcome;
 * - a visit scheduled: the first home_visit.created_at;
 * - a certificate obtained: attestation.received_on with result 'clean';
 * - the course completed: the end of the attended session (live, present) at which the
 *   attended hours first reach the curriculum's required hours with every mandatory
 *   topic covered (the readiness rule, read over time; the curriculum as it is now),
 *   or the day of a course completed before Klar (prior_course_completion.completed_on);
 * - became matchable: the latest of the approved visit, the first clean certificate, the
 *   completed course and the day each extra requirement defined by the end of the year
 *   was met (never while one is missing), if that is before any closing (declined or
 *   withdrawn);
 * - withdrew: volunteer.closed_at with status 'withdrawn'; the step reached is the last
 *   of the above that happened before it.
 * Year bounds are Copenhagen midnights; a day column compares as a day. `$3` is the
 * branch id, null for every branch.
 */
const MILESTONES = `
  WITH bounds AS (
    SELECT ($1::date::timestamp AT TIME ZONE 'Europe/Copenhagen') AS from_at,
           ($2::date::timestamp AT TIME ZONE 'Europe/Copenhagen') AS to_at,
           $1::date AS from_day, $2::date AS to_day
  ),
  scoped AS (
    SELECT v.id, v.created_at AS applied_at, v.status, v.closed_at
      FROM volunteer v WHERE ($3::uuid IS NULL OR v.branch_id = $3)
  ),
  -- Two arms, one of which the planner drops by the parameter: for a branch each of its
  -- volunteers' attendance read by index (attendance has no branch, and joined to the
  -- branch's volunteers the planner scanned all 180,000 rows at national scale); for
  -- every branch all attendance read once. OFFSET 0 keeps each lateral a subquery of
  -- its own: flattened into a join, the planner hashed the whole table again (one
  -- branch of 50: 120 ms, 55 ms with it).
  attended AS (
    SELECT x.* FROM scoped v CROSS JOIN LATERAL (
      SELECT a.volunteer_id, s.id AS session_id, s.ends_at,
             extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours
        FROM attendance a
        JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
       WHERE a.volunteer_id = v.id AND a.present
      OFFSET 0) x
     WHERE $3::uuid IS NOT NULL
    UNION ALL
    SELECT a.volunteer_id, s.id AS session_id, s.ends_at,
           extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours
      FROM attendance a
      JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
     WHERE $3::uuid IS NULL AND a.present
  ),
  -- Running hours in session order (sessions ending together count together), and when
  -- each mandatory topic was first covered: the course is done when both are reached.
  hours_done AS (
    SELECT r.volunteer_id, min(r.ends_at) AS at
      FROM (SELECT x.volunteer_id, x.ends_at,
                   sum(x.hours) OVER (PARTITION BY x.volunteer_id ORDER BY x.ends_at) AS so_far
              FROM attended x) r
     CROSS JOIN curriculum c
     WHERE round(r.so_far, 2) >= c.required_hours
     GROUP BY r.volunteer_id
  ),
  topics_first AS (
    SELECT x.volunteer_id, t.topic_code, min(x.ends_at) AS at
      FROM attended x
      JOIN course_session_topic t ON t.session_id = x.session_id
      JOIN topic tp ON tp.code = t.topic_code AND tp.mandatory
     GROUP BY x.volunteer_id, t.topic_code
  ),
  topics_done AS (
    SELECT volunteer_id, max(at) AS at FROM topics_first GROUP BY volunteer_id
    HAVING count(*) = (SELECT count(*) FROM topic WHERE mandatory)
  ),
  -- A course completed before Klar (a branch's spreadsheet) is done on its day; with one
  -- completed in Klar as well, the earlier counts.
  course_done AS (
    SELECT x.volunteer_id, min(x.done_at) AS done_at FROM (
      SELECT h.volunteer_id, greatest(h.at, d.at) AS done_at
        FROM hours_done h LEFT JOIN topics_done d ON d.volunteer_id = h.volunteer_id
       WHERE d.at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM topic WHERE mandatory)
      UNION ALL
      SELECT p.volunteer_id, p.completed_on::timestamp AT TIME ZONE 'Europe/Copenhagen'
        FROM prior_course_completion p JOIN scoped v ON v.id = p.volunteer_id
    ) x GROUP BY x.volunteer_id
  ),
  -- The extra requirements defined by the end of the year (the view volunteer_requirement,
  -- as readiness reads them): the day the last was met, 'infinity' while one is missing;
  -- no row when there are none. One added later leaves a year that is over as it was.
  extras AS (
    SELECT q.volunteer_id,
           CASE WHEN count(q.met_on) = count(*)
                THEN max(q.met_on)::timestamp AT TIME ZONE 'Europe/Copenhagen'
                ELSE 'infinity' END AS met_at
      FROM volunteer_requirement q
      JOIN scoped v ON v.id = q.volunteer_id
      JOIN requirement d ON d.key = q.key
     CROSS JOIN bounds b
     WHERE d.created_at < b.to_at
     GROUP BY q.volunteer_id
  ),
  -- Each step grouped once over the volunteers in scope, joined by volunteer: per-volunteer
  -- subqueries were 300,000 index probes nationally (npm run bench:national, 100,000
  -- volunteers). MATERIALIZED: each step is read once a volunteer; inlined, every mention
  -- of a step in the figures below ran its subquery again (10 million buffer reads).
  visits AS (
    SELECT h.volunteer_id, min(h.created_at) AS scheduled_at,
           min(h.held_at) FILTER (WHERE h.outcome = 'approved') AS approved_at
      FROM scoped v CROSS JOIN LATERAL (
        SELECT * FROM home_visit h WHERE h.volunteer_id = v.id OFFSET 0) h
     WHERE $3::uuid IS NOT NULL
     GROUP BY h.volunteer_id
    UNION ALL
    SELECT h.volunteer_id, min(h.created_at) AS scheduled_at,
           min(h.held_at) FILTER (WHERE h.outcome = 'approved') AS approved_at
      FROM home_visit h
     WHERE $3::uuid IS NULL
     GROUP BY h.volunteer_id
  ),
  attested AS (
    SELECT a.volunteer_id, min(a.received_on::timestamp AT TIME ZONE 'Europe/Copenhagen') AS attested_at
      FROM attestation a JOIN scoped v ON v.id = a.volunteer_id
     WHERE a.result = 'clean'
     GROUP BY a.volunteer_id
  ),
  steps AS MATERIALIZED (
    SELECT v.id, v.applied_at, v.status, v.closed_at,
           h.scheduled_at, h.approved_at, a.attested_at, d.done_at, e.met_at AS extras_at
      FROM scoped v
      LEFT JOIN visits h ON h.volunteer_id = v.id
      LEFT JOIN attested a ON a.volunteer_id = v.id
      LEFT JOIN course_done d ON d.volunteer_id = v.id
      LEFT JOIN extras e ON e.volunteer_id = v.id
  ),
  milestones AS (
    SELECT s.*, r.ready_at
      FROM steps s
     CROSS JOIN LATERAL (
       SELECT CASE WHEN s.approved_at IS NOT NULL AND s.attested_at IS NOT NULL AND s.done_at IS NOT NULL
                    AND coalesce(s.extras_at, '-infinity') < 'infinity'
                    AND greatest(s.approved_at, s.attested_at, s.done_at, s.extras_at) <= coalesce(s.closed_at, 'infinity')
                   THEN greatest(s.approved_at, s.attested_at, s.done_at, s.extras_at) END AS ready_at) r
  )`;

/** Whole days between two instants as Copenhagen calendar days. */
const DAYS = (from: string, to: string) =>
  `((${to} AT TIME ZONE 'Europe/Copenhagen')::date - (${from} AT TIME ZONE 'Europe/Copenhagen')::date)`;
const IN_YEAR = (at: string) => `(${at} >= b.from_at AND ${at} < b.to_at)`;

const VOLUNTEER_FIGURES = `${MILESTONES}
  SELECT
    count(*) FILTER (WHERE ${IN_YEAR('m.applied_at')})::int AS applications,
    count(*) FILTER (WHERE ${IN_YEAR('m.done_at')})::int AS "completedCourse",
    count(*) FILTER (WHERE ${IN_YEAR('m.ready_at')})::int AS "becameMatchable",
    count(*) FILTER (WHERE m.status = 'withdrawn' AND ${IN_YEAR('m.closed_at')})::int AS withdrawn,
    count(*) FILTER (WHERE m.status = 'withdrawn' AND ${IN_YEAR('m.closed_at')} AND m.ready_at <= m.closed_at)::int
      AS "wMatchable",
    count(*) FILTER (WHERE m.status = 'withdrawn' AND ${IN_YEAR('m.closed_at')}
                       AND m.ready_at IS NULL AND m.approved_at <= m.closed_at)::int AS "wApproved",
    count(*) FILTER (WHERE m.status = 'withdrawn' AND ${IN_YEAR('m.closed_at')}
                       AND m.ready_at IS NULL AND (m.approved_at IS NULL OR m.approved_at > m.closed_at)
                       AND m.scheduled_at <= m.closed_at)::int AS "wVisitScheduled",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('m.applied_at', 'm.ready_at')})
      FILTER (WHERE ${IN_YEAR('m.ready_at')}) AS "medianDaysToMatchable",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('m.applied_at', 'm.approved_at')})
      FILTER (WHERE ${IN_YEAR('m.ready_at')}) AS "medianApproved",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('m.applied_at', 'm.attested_at')})
      FILTER (WHERE ${IN_YEAR('m.ready_at')}) AS "medianAttestation",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DAYS('m.applied_at', 'm.done_at')})
      FILTER (WHERE ${IN_YEAR('m.ready_at')}) AS "medianCourse"
  FROM milestones m CROSS JOIN bounds b`;

/** Visits and certificates are events of their own: counted where they happened. */
const EVENT_FIGURES = `
  WITH bounds AS (
    SELECT ($1::date::timestamp AT TIME ZONE 'Europe/Copenhagen') AS from_at,
           ($2::date::timestamp AT TIME ZONE 'Europe/Copenhagen') AS to_at,
           $1::date AS from_day, $2::date AS to_day
  ),
  scoped AS (SELECT v.id FROM volunteer v WHERE ($3::uuid IS NULL OR v.branch_id = $3)),
  visits AS (
    SELECT count(*)::int AS held,
           count(*) FILTER (WHERE h.outcome = 'approved')::int AS approved,
           count(*) FILTER (WHERE h.outcome = 'declined')::int AS declined
      FROM home_visit h JOIN scoped v ON v.id = h.volunteer_id CROSS JOIN bounds b
     WHERE h.outcome IS NOT NULL AND h.held_at >= b.from_at AND h.held_at < b.to_at
  ),
  certificates AS (
    SELECT count(*)::int AS obtained
      FROM attestation a JOIN scoped v ON v.id = a.volunteer_id CROSS JOIN bounds b
     WHERE a.result = 'clean' AND a.received_on >= b.from_day AND a.received_on < b.to_day
  ),
  -- Sessions held: live, of a course not cancelled, over by the end of the year and now.
  sessions AS (
    SELECT s.course_id, s.ends_at, extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours
      FROM course_session s JOIN course c ON c.id = s.course_id CROSS JOIN bounds b
     WHERE s.cancelled_at IS NULL AND c.cancelled_at IS NULL
       AND ($3::uuid IS NULL OR c.branch_id = $3)
       AND s.ends_at >= b.from_at AND s.ends_at < b.to_at AND s.ends_at <= now()
  ),
  -- A course is held in the year its last live session ended.
  courses AS (
    SELECT count(*)::int AS held FROM (
      SELECT c.id FROM course c JOIN course_session s ON s.course_id = c.id AND s.cancelled_at IS NULL
       CROSS JOIN bounds b
       WHERE c.cancelled_at IS NULL AND ($3::uuid IS NULL OR c.branch_id = $3)
       GROUP BY c.id, b.from_at, b.to_at
      HAVING max(s.ends_at) >= b.from_at AND max(s.ends_at) < b.to_at AND max(s.ends_at) <= now()) x
  )
  SELECT visits.held AS "homeVisits", visits.approved, visits.declined,
         certificates.obtained AS attestations, courses.held AS "coursesHeld",
         coalesce((SELECT round(sum(hours), 2) FROM sessions), 0) AS "courseHours"
    FROM visits, certificates, courses`;

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

@Injectable()
export class YearFiguresRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The figures of one calendar year (Copenhagen) in a branch, or in all when null. */
  async figures(
    year: number,
    branchId: string | null,
  ): Promise<{ figures: YearFigures; steps: StepMedians }> {
    const params = [`${year}-01-01`, `${year + 1}-01-01`, branchId];
    // One read-only transaction without JIT: over every branch the planner's estimates for
    // these CTEs pass jit_above_cost, and compiling took two seconds for a query that
    // runs in milliseconds.
    const [v, e] = await this.db.transaction(async (em) => {
      await em.query('SET LOCAL jit = off');
      // Nationally the running hours and the topics covered are sorted and grouped over
      // every attendance (170,000 rows at 100,000 volunteers): with the default 4 MB
      // they spilled to disk.
      await em.query("SET LOCAL work_mem = '32MB'");
      const [volunteers] = await em.query<Record<string, unknown>[]>(VOLUNTEER_FIGURES, params);
      const [events] = await em.query<Record<string, unknown>[]>(EVENT_FIGURES, params);
      return [volunteers, events];
    });
    const withdrawn = Number(v.withdrawn);
    const byStage = {
      matchable: Number(v.wMatchable),
      approved: Number(v.wApproved),
      visit_scheduled: Number(v.wVisitScheduled),
    };
    return {
      figures: {
        applications: Number(v.applications),
        homeVisits: Number(e.homeVisits),
        approved: Number(e.approved),
        declined: Number(e.declined),
        attestations: Number(e.attestations),
        coursesHeld: Number(e.coursesHeld),
        courseHours: Number(e.courseHours),
        completedCourse: Number(v.completedCourse),
        becameMatchable: Number(v.becameMatchable),
        withdrawn,
        withdrawnByStage: {
          applied: withdrawn - byStage.matchable - byStage.approved - byStage.visit_scheduled,
          ...byStage,
        },
        medianDaysToMatchable: num(v.medianDaysToMatchable),
      },
      steps: {
        approved: num(v.medianApproved),
        attestation: num(v.medianAttestation),
        course: num(v.medianCourse),
        matchable: num(v.medianDaysToMatchable),
      },
    };
  }
}
