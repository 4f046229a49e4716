import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A person in a course's attendance grid: booked on it, or made up a session of it. */
export interface GridPersonRow {
  volunteerId: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  postcode: string;
  /** false: a make-up attendee, recorded at a session of this course without a seat on it. */
  booked: boolean;
}

export interface GridRecordRow {
  sessionId: string;
  volunteerId: string;
  present: boolean;
}

export interface MakeUpCandidateRow {
  volunteerId: string;
  firstName: string;
  lastName: string;
  /** The titles of the branch's other courses they are booked on. */
  courses: string;
}

/** The queries behind a course's attendance grid, its make-ups and its printed sheets. */
@Injectable()
export class AttendanceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Everyone booked on the course and everyone recorded at one of its sessions without
   * a seat on it (a make-up), by name.
   */
  people(courseId: string, em: EntityManager = this.db.manager): Promise<GridPersonRow[]> {
    return em.query<GridPersonRow[]>(
      `WITH booked AS (
         SELECT k.volunteer_id FROM booking k WHERE k.course_id = $1 AND k.status = 'booked'
       ), attended AS (
         SELECT DISTINCT a.volunteer_id FROM attendance a
           JOIN course_session s ON s.id = a.session_id
          WHERE s.course_id = $1
       )
       SELECT v.id AS "volunteerId", v.first_name AS "firstName", v.last_name AS "lastName",
              v.phone, v.email, v.postcode,
              v.id IN (SELECT volunteer_id FROM booked) AS booked
         FROM volunteer v
        WHERE v.id IN (SELECT volunteer_id FROM booked UNION SELECT volunteer_id FROM attended)
          -- An erased person's seat and attendance stay, anonymous, for the year's figures;
          -- a list of names has no row for them.
          AND v.erased_at IS NULL
        ORDER BY v.last_name, v.first_name, v.id`,
      [courseId],
    );
  }

  /** Every attendance record on the course's sessions. */
  records(courseId: string, em: EntityManager = this.db.manager): Promise<GridRecordRow[]> {
    return em.query<GridRecordRow[]>(
      `SELECT a.session_id AS "sessionId", a.volunteer_id AS "volunteerId", a.present
         FROM attendance a
         JOIN course_session s ON s.id = a.session_id
        WHERE s.course_id = $1`,
      [courseId],
    );
  }

  /**
   * Who may be added as a make-up: booked on another live course of the branch and not
   * yet in this course's grid (someone already in it has their own row to tick).
   */
  makeUpCandidates(
    courseId: string,
    branchId: string,
    em: EntityManager = this.db.manager,
  ): Promise<MakeUpCandidateRow[]> {
    return em.query<MakeUpCandidateRow[]>(
      `SELECT v.id AS "volunteerId", v.first_name AS "firstName", v.last_name AS "lastName",
              string_agg(DISTINCT c.title, ', ') AS courses
         FROM booking k
         JOIN course c ON c.id = k.course_id
         JOIN volunteer v ON v.id = k.volunteer_id
        WHERE c.branch_id = $2 AND c.id <> $1 AND c.cancelled_at IS NULL AND k.status = 'booked'
          AND v.branch_id = $2
          AND NOT EXISTS (SELECT 1 FROM booking b
                           WHERE b.course_id = $1 AND b.volunteer_id = v.id AND b.status = 'booked')
          AND NOT EXISTS (SELECT 1 FROM attendance a JOIN course_session s ON s.id = a.session_id
                           WHERE s.course_id = $1 AND a.volunteer_id = v.id)
        GROUP BY v.id
        ORDER BY v.last_name, v.first_name, v.id`,
      [courseId, branchId],
    );
  }
}
