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

/** The newest certificate of each active volunteer in scope ($1: branch or null for all). */
const LATEST_CERTIFICATE = `
  SELECT c.* FROM volunteer_certificate c
    JOIN volunteer v ON v.id = c.volunteer_id
   WHERE v.status = 'active' AND ($1::uuid IS NULL OR v.branch_id = $1)`;

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
    const [row] = await this.db.query<Record<keyof Funnel, string>[]>(
      `WITH v AS (
         SELECT id, stage, matchable_until FROM volunteer
          WHERE status = 'active' AND ($1::uuid IS NULL OR branch_id = $1)
       ),
       latest AS (${LATEST_CERTIFICATE})
       SELECT (SELECT count(*) FROM v) AS applied,
              (SELECT count(*) FROM v WHERE EXISTS
                 (SELECT 1 FROM home_visit h WHERE h.volunteer_id = v.id AND h.cancelled_at IS NULL)) AS "visitScheduled",
              (SELECT count(*) FROM v WHERE EXISTS
                 (SELECT 1 FROM home_visit h WHERE h.volunteer_id = v.id AND h.outcome = 'approved')) AS approved,
              (SELECT count(*) FROM latest WHERE valid) AS "certificateValid",
              (SELECT count(*) FROM v JOIN volunteer_course_progress p ON p.volunteer_id = v.id
                WHERE p.completed) AS "courseCompleted",
              (SELECT count(*) FROM v
                WHERE volunteer_matchable_today(v.stage, v.matchable_until)) AS matchable`,
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
    const certificates = (where: string) =>
      this.db.query<AttentionPerson[]>(
        `WITH latest AS (${LATEST_CERTIFICATE})
         SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName",
                to_char(${where === 'expiring' ? 'l.valid_until' : 'l.received_on'}, 'YYYY-MM-DD') AS day
           FROM latest l JOIN volunteer v ON v.id = l.volunteer_id
          WHERE ${
            where === 'expiring'
              ? `l.result = 'clean' AND l.valid_until BETWEEN copenhagen_today() AND copenhagen_today() + 60`
              : `l.result = 'has_entries'`
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
