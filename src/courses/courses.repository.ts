import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Course } from './course.entity';
import { CourseSession, CourseSessionTopic } from './course-session.entity';
import type { SessionPlan } from './course-rules';

export interface SessionRow {
  id: string;
  courseId: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  sequence: number;
  cancelledAt: Date | null;
  trainerName: string | null;
  trainerUserId: string | null;
  /** Who teaches it as pages show it: the staff user's name, else the external name. */
  trainer: string | null;
  topics: string[];
}

/** Who teaches a session: a staff user, an external name, or (both null) nobody named yet. */
export interface SessionTrainer {
  trainerName: string | null;
  trainerUserId: string | null;
}

export interface CourseSummaryRow {
  id: string;
  branchId: string;
  branchCode: string;
  title: string;
  capacity: number;
  location: string | null;
  booked: number;
  waitlisted: number;
  cancelledAt: Date | null;
  firstStartsAt: Date | null;
}

export interface ParticipantRow {
  volunteerId: string;
  firstName: string;
  lastName: string;
  status: 'booked' | 'waitlisted';
  position: number | null;
}

const SESSION_COLUMNS = `
  s.id, s.course_id AS "courseId", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
  s.location, s.sequence, s.cancelled_at AS "cancelledAt",
  s.trainer_name AS "trainerName", s.trainer_user_id AS "trainerUserId",
  coalesce((SELECT u.name FROM staff_user u WHERE u.id = s.trainer_user_id), s.trainer_name) AS trainer,
  coalesce(array_agg(t.topic_code ORDER BY tp.position) FILTER (WHERE t.topic_code IS NOT NULL), '{}') AS topics`;

@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Courses with their seat counts in one aggregate query; `upcomingOnly` for the public list. */
  async summaries(
    filter: {
      courseIds?: string[];
      branchCode?: string;
      upcomingOnly?: boolean;
      branchId?: string | null;
    },
    em: EntityManager = this.db.manager,
  ): Promise<CourseSummaryRow[]> {
    const rows = await em.query<(CourseSummaryRow & { booked: string; waitlisted: string })[]>(
      `SELECT c.id, c.branch_id AS "branchId", b.code AS "branchCode", c.title, c.capacity, c.location, c.cancelled_at AS "cancelledAt",
              (SELECT count(*) FROM booking k WHERE k.course_id = c.id AND k.status = 'booked') AS booked,
              (SELECT count(*) FROM booking k WHERE k.course_id = c.id AND k.status = 'waitlisted') AS waitlisted,
              p.first_starts_at AS "firstStartsAt"
         FROM course c
         JOIN branch b ON b.id = c.branch_id
         JOIN course_progress p ON p.course_id = c.id
        WHERE ($1::uuid[] IS NULL OR c.id = ANY($1))
          AND ($2::text IS NULL OR b.code = $2)
          AND (NOT $3::boolean OR (c.cancelled_at IS NULL AND p.open))
          AND ($4::uuid IS NULL OR c.branch_id = $4)
        ORDER BY "firstStartsAt" NULLS LAST, c.title`,
      [
        filter.courseIds ?? null,
        filter.branchCode ?? null,
        filter.upcomingOnly ?? false,
        filter.branchId ?? null,
      ],
    );
    return rows.map((r) => ({ ...r, booked: Number(r.booked), waitlisted: Number(r.waitlisted) }));
  }

  /** The sessions of these courses with their topics, in curriculum order; one query. */
  sessionsOf(courseIds: string[], em: EntityManager = this.db.manager): Promise<SessionRow[]> {
    return em.query<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS}
         FROM course_session s
         LEFT JOIN course_session_topic t ON t.session_id = s.id
         LEFT JOIN topic tp ON tp.code = t.topic_code
        WHERE s.course_id = ANY($1)
        GROUP BY s.id
        ORDER BY s.starts_at`,
      [courseIds],
    );
  }

  async session(
    sessionId: string,
    em: EntityManager = this.db.manager,
  ): Promise<SessionRow | null> {
    const rows = await em.query<SessionRow[]>(
      `SELECT ${SESSION_COLUMNS}
         FROM course_session s
         LEFT JOIN course_session_topic t ON t.session_id = s.id
         LEFT JOIN topic tp ON tp.code = t.topic_code
        WHERE s.id = $1
        GROUP BY s.id`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  /**
   * The live sessions a staff user teaches: upcoming first (soonest on top), then the
   * ones held, latest first, so the register to take is at hand on a phone.
   */
  trainerSessions(userId: string, em: EntityManager = this.db.manager) {
    return em.query<
      {
        id: string;
        courseId: string;
        title: string;
        startsAt: Date;
        location: string;
        booked: number;
      }[]
    >(
      `SELECT s.id, s.course_id AS "courseId", c.title, s.starts_at AS "startsAt", s.location,
              (SELECT count(*)::int FROM booking k
                WHERE k.course_id = c.id AND k.status = 'booked') AS booked
         FROM course_session s
         JOIN course c ON c.id = s.course_id
        WHERE s.trainer_user_id = $1 AND s.cancelled_at IS NULL AND c.cancelled_at IS NULL
        ORDER BY s.ends_at < now(), CASE WHEN s.ends_at >= now() THEN s.starts_at END,
                 s.starts_at DESC`,
      [userId],
    );
  }

  /**
   * Who may be named as a session's trainer: the active coordinators of the branch (of
   * every branch when `branchId` is null) and the admins, by name.
   */
  trainerChoices(branchId: string | null, em: EntityManager = this.db.manager) {
    return em.query<{ id: string; name: string; role: string; branchName: string | null }[]>(
      `SELECT u.id, u.name, u.role, b.name AS "branchName"
         FROM staff_user u
         LEFT JOIN branch b ON b.id = u.branch_id
        WHERE u.active
          AND (u.role = 'admin' OR (u.role = 'coordinator' AND ($1::uuid IS NULL OR u.branch_id = $1)))
        ORDER BY u.role = 'admin', u.name, u.id`,
      [branchId],
    );
  }

  /** Where the course stands in time (see courseProgress). */
  progress(courseId: string, em: EntityManager = this.db.manager): Promise<CourseProgress> {
    return courseProgress(em, courseId);
  }

  /** A new session of a course, with its topics; the caller audits it. */
  async addSession(
    em: EntityManager,
    courseId: string,
    plan: SessionPlan,
    location: string,
    trainer: SessionTrainer = { trainerName: null, trainerUserId: null },
  ): Promise<CourseSession> {
    const session = await em.save(
      em.create(CourseSession, {
        courseId,
        startsAt: plan.startsAt,
        endsAt: plan.endsAt,
        location,
        ...trainer,
        sequence: 0,
        cancelledAt: null,
      }),
    );
    await em.insert(
      CourseSessionTopic,
      plan.topics.map((topicCode) => ({ sessionId: session.id, topicCode })),
    );
    return session;
  }

  /** A course inside the branch scope (null scope: any branch), locked when asked. */
  findInScope(em: EntityManager, id: string, branchId: string | null, lock = false) {
    return em.findOne(Course, {
      where: branchId === null ? { id } : { id, branchId },
      lock: lock ? { mode: 'pessimistic_write' } : undefined,
    });
  }

  participants(courseId: string, em: EntityManager = this.db.manager): Promise<ParticipantRow[]> {
    return em.query<ParticipantRow[]>(
      `SELECT k.volunteer_id AS "volunteerId", v.first_name AS "firstName", v.last_name AS "lastName",
              k.status, k.waitlist_position AS position
         FROM booking k
         JOIN volunteer v ON v.id = k.volunteer_id
        WHERE k.course_id = $1 AND k.status <> 'cancelled' AND v.erased_at IS NULL
        ORDER BY k.status, k.waitlist_position NULLS FIRST, k.created_at`,
      [courseId],
    );
  }
}

export interface CourseProgress {
  started: boolean;
  ended: boolean;
  /** Has live sessions and has not started: a volunteer may book it. */
  open: boolean;
}

/** Where a course stands in time: the view course_progress (its migration says how). */
export async function courseProgress(em: EntityManager, courseId: string): Promise<CourseProgress> {
  const [row] = await em.query<CourseProgress[]>(
    'SELECT started, ended, open FROM course_progress WHERE course_id = $1',
    [courseId],
  );
  return row ?? { started: false, ended: false, open: false };
}
