import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface Funnel {
  applied: number;
  visitScheduled: number;
  approved: number;
  certificateValid: number;
  courseCompleted: number;
  matchable: number;
}

export interface AttentionPerson {
  id: string;
  firstName: string;
  lastName: string;
  /** Applied on (waiting), valid until (expiring) or received on (entries): `YYYY-MM-DD`. */
  day: string;
}

export interface AttentionCourse {
  id: string;
  title: string;
  startsAt: Date;
  seatsLeft: number;
}

export interface AttentionVisit {
  id: string;
  firstName: string;
  lastName: string;
  scheduledAt: Date;
}

/** A stage on the path before matchable, where a volunteer can be kept waiting. */
export type WaitingStage = 'applied' | 'visit_scheduled' | 'approved';

export interface WaitingPerson {
  id: string;
  firstName: string;
  lastName: string;
  stage: WaitingStage;
  /** Whole days (Copenhagen calendar) since the volunteer reached the stage. */
  days: number;
}

export interface Attention {
  newApplications: AttentionPerson[];
  visitsThisWeek: AttentionVisit[];
  certificatesExpiring: AttentionPerson[];
  certificatesWithEntries: AttentionPerson[];
  coursesWithSeats: AttentionCourse[];
}

/**
 * The coordinator's dashboard figures, each one query over the branch scope: the
 * pipeline of active volunteers and what needs attention. The rules are readiness's own
 * SQL half (the views and functions of migrations/1764720000000-readiness-rules.ts), so a
 * branch of any size is one round trip each.
 */
@Injectable()
export class WorkspaceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Active volunteers who have reached each requirement, counted on its own (a
   * certificate may come before the course or after it); `matchable` has all of them.
   */
  async funnel(branchId: string | null): Promise<Funnel> {
    // One pass over the volunteers in scope, each fact grouped once and joined by
    // volunteer (nationally a hash join of each table read once, in a branch index reads
    // of its own people), not subqueries per volunteer. The course requirement is the
    // view volunteer_course_progress's rule, read in bulk: the live sessions attended
    // present, their hours summed and rounded as the view does, and the mandatory topics
    // covered as one bit each (bit_or over the sessions; every bit set is none missing).
    const [row] = await this.db.query<Record<keyof Funnel, string>[]>(
      `WITH v AS MATERIALIZED (
         SELECT id, stage, matchable_until FROM volunteer
          WHERE status = 'active' AND ($1::uuid IS NULL OR branch_id = $1)
       ),
       -- Two arms, one dropped by the parameter: a branch's volunteers' visits and
       -- attendance by index (OFFSET 0 keeps the lateral from being flattened into a
       -- join that hashes the whole table), every branch's read once.
       visits AS (
         SELECT h.volunteer_id, bool_or(h.cancelled_at IS NULL) AS scheduled,
                bool_or(h.outcome = 'approved') AS approved
           FROM v CROSS JOIN LATERAL (
             SELECT * FROM home_visit h WHERE h.volunteer_id = v.id OFFSET 0) h
          WHERE $1::uuid IS NOT NULL
          GROUP BY h.volunteer_id
         UNION ALL
         SELECT h.volunteer_id, bool_or(h.cancelled_at IS NULL), bool_or(h.outcome = 'approved')
           FROM home_visit h JOIN v ON v.id = h.volunteer_id
          WHERE $1::uuid IS NULL
          GROUP BY h.volunteer_id
       ),
       attended AS MATERIALIZED (
         SELECT a.volunteer_id, a.session_id
           FROM v CROSS JOIN LATERAL (
             SELECT * FROM attendance a WHERE a.volunteer_id = v.id AND a.present OFFSET 0) a
          WHERE $1::uuid IS NOT NULL
         UNION ALL
         SELECT a.volunteer_id, a.session_id
           FROM v JOIN attendance a ON a.volunteer_id = v.id AND a.present
          WHERE $1::uuid IS NULL
       ),
       topics AS MATERIALIZED (
         SELECT code, row_number() OVER (ORDER BY code) AS bit FROM topic WHERE mandatory
       ),
       sessions AS MATERIALIZED (
         SELECT s.id, extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours,
                (SELECT coalesce(string_agg(CASE WHEN t.session_id IS NULL THEN '0' ELSE '1' END, ''
                                            ORDER BY tp.bit), '')
                   FROM topics tp
                   LEFT JOIN course_session_topic t ON t.session_id = s.id AND t.topic_code = tp.code
                )::varbit AS covered
           FROM course_session s
          WHERE s.cancelled_at IS NULL AND s.id IN (SELECT session_id FROM attended)
       ),
       progress AS (
         SELECT x.volunteer_id, round(sum(s.hours), 2) AS hours, bit_or(s.covered) AS covered
           FROM attended x JOIN sessions s ON s.id = x.session_id
          GROUP BY x.volunteer_id
       ),
       every_topic AS (
         SELECT repeat('1', count(*)::int)::varbit AS all_set,
                repeat('0', count(*)::int)::varbit AS none_set
           FROM topics
       )
       SELECT count(*) AS applied,
              count(*) FILTER (WHERE h.scheduled) AS "visitScheduled",
              count(*) FILTER (WHERE h.approved) AS approved,
              count(*) FILTER (WHERE c.valid) AS "certificateValid",
              count(*) FILTER (WHERE (coalesce(p.hours, 0) >= k.required_hours
                                      AND coalesce(p.covered, e.none_set) = e.all_set)
                                     OR pc.volunteer_id IS NOT NULL) AS "courseCompleted",
              count(*) FILTER (WHERE volunteer_matchable_today(v.stage, v.matchable_until)) AS matchable
         FROM v
        CROSS JOIN curriculum k
        CROSS JOIN every_topic e
         LEFT JOIN visits h ON h.volunteer_id = v.id
         LEFT JOIN volunteer_certificate c ON c.volunteer_id = v.id
         LEFT JOIN progress p ON p.volunteer_id = v.id
         LEFT JOIN prior_course_completion pc ON pc.volunteer_id = v.id`,
      [branchId],
    );
    return {
      applied: Number(row.applied),
      visitScheduled: Number(row.visitScheduled),
      approved: Number(row.approved),
      certificateValid: Number(row.certificateValid),
      courseCompleted: Number(row.courseCompleted),
      matchable: Number(row.matchable),
    };
  }

  async attention(branchId: string | null): Promise<Attention> {
    // Not contacted yet: no visit planned. Oldest first, so whoever waits longest is on top.
    const newApplications = await this.db.query<AttentionPerson[]>(
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName",
              to_char(v.created_at AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD') AS day
         FROM volunteer v
        WHERE v.status = 'active' AND v.stage = 'applied'
          AND NOT EXISTS (SELECT 1 FROM home_visit h WHERE h.volunteer_id = v.id AND h.cancelled_at IS NULL)
          AND ($1::uuid IS NULL OR v.branch_id = $1)
        ORDER BY v.created_at
        LIMIT 50`,
      [branchId],
    );
    const visitsThisWeek = await this.db.query<AttentionVisit[]>(
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName", h.scheduled_at AS "scheduledAt"
         FROM home_visit h
         JOIN volunteer v ON v.id = h.volunteer_id
        WHERE h.outcome IS NULL AND h.cancelled_at IS NULL AND v.status = 'active'
          AND h.scheduled_at BETWEEN now() AND now() + interval '7 days'
          AND ($1::uuid IS NULL OR v.branch_id = $1)
        ORDER BY h.scheduled_at
        LIMIT 50`,
      [branchId],
    );
    // Read from the certificates that can match (the index of clean ones by day, or the
    // few with entries), each kept only if it is its volunteer's newest: the rule's
    // valid_until is the view's, the window on received_on only narrows the search (a
    // few days wider than any month arithmetic can move it).
    const certificates = (where: 'expiring' | 'entries') =>
      this.db.query<AttentionPerson[]>(
        `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName",
                to_char(${where === 'expiring' ? 'c.valid_until' : 'c.received_on'}, 'YYYY-MM-DD') AS day
           FROM attestation a
          CROSS JOIN rule_settings r
           JOIN volunteer v ON v.id = a.volunteer_id
           JOIN volunteer_certificate c ON c.volunteer_id = a.volunteer_id AND c.attestation_id = a.id
          WHERE v.status = 'active' AND ($1::uuid IS NULL OR v.branch_id = $1)
            AND ${
              where === 'expiring'
                ? `a.result = 'clean'
                   AND a.received_on BETWEEN
                         copenhagen_today() - make_interval(months => r.attestation_valid_months, days => 4)
                     AND copenhagen_today() - make_interval(months => r.attestation_valid_months, days => -65)
                   AND c.valid_until BETWEEN copenhagen_today() AND copenhagen_today() + 60`
                : `a.result = 'has_entries'`
            }
          ORDER BY day
          LIMIT 50`,
        [branchId],
      );
    const coursesWithSeats = await this.db.query<(AttentionCourse & { seatsLeft: string })[]>(
      `SELECT c.id, c.title, f.starts_at AS "startsAt",
              c.capacity - (SELECT count(*) FROM booking k
                             WHERE k.course_id = c.id AND k.status = 'booked') AS "seatsLeft"
         FROM course c
         JOIN LATERAL (SELECT min(s.starts_at) AS starts_at FROM course_session s
                        WHERE s.course_id = c.id AND s.cancelled_at IS NULL) f ON true
        WHERE c.cancelled_at IS NULL
          AND ($1::uuid IS NULL OR c.branch_id = $1)
          AND f.starts_at > now()
          AND c.capacity > (SELECT count(*) FROM booking k
                             WHERE k.course_id = c.id AND k.status = 'booked')
        ORDER BY f.starts_at
        LIMIT 20`,
      [branchId],
    );
    return {
      newApplications,
      visitsThisWeek,
      certificatesExpiring: await certificates('expiring'),
      certificatesWithEntries: await certificates('entries'),
      coursesWithSeats: coursesWithSeats.map((c) => ({ ...c, seatsLeft: Number(c.seatsLeft) })),
    };
  }

  /**
   * For each stage before matchable, the active volunteers who have been at it longest
   * (`perStage` each), longest first. The stage is today's (`volunteer_stage_today`, so a
   * lapsed certificate counts as approved), and "since" is the fact that put them there:
   * the application, the first visit planned (a follow-up keeps them at the stage) and
   * the approving visit's held time (an approval is final, so that is when it began).
   */
  async waitingLongest(branchId: string | null, perStage = 5): Promise<WaitingPerson[]> {
    const rows = await this.db.query<(WaitingPerson & { days: string })[]>(
      `WITH at_stage AS (
         SELECT v.id, v.first_name, v.last_name,
                volunteer_stage_today(v.stage, v.matchable_until) AS stage,
                v.created_at AS applied_at
           FROM volunteer v
          WHERE v.status = 'active' AND ($1::uuid IS NULL OR v.branch_id = $1)
       ),
       since AS (
         SELECT s.id, s.first_name, s.last_name, s.stage,
                CASE s.stage
                  WHEN 'applied' THEN s.applied_at
                  WHEN 'visit_scheduled' THEN
                    (SELECT min(h.created_at) FROM home_visit h WHERE h.volunteer_id = s.id)
                  WHEN 'approved' THEN
                    (SELECT min(h.held_at) FROM home_visit h
                      WHERE h.volunteer_id = s.id AND h.outcome = 'approved')
                END AS since
           FROM at_stage s
          WHERE s.stage IN ('applied', 'visit_scheduled', 'approved')
       ),
       ranked AS (
         SELECT *, row_number() OVER (PARTITION BY stage ORDER BY since, id) AS place
           FROM since
       )
       SELECT id, first_name AS "firstName", last_name AS "lastName", stage,
              copenhagen_today() - (since AT TIME ZONE 'Europe/Copenhagen')::date AS days
         FROM ranked
        WHERE place <= $2
        ORDER BY array_position(ARRAY['applied', 'visit_scheduled', 'approved'], stage), place`,
      [branchId, perStage],
    );
    return rows.map((r) => ({ ...r, days: Number(r.days) }));
  }
}
