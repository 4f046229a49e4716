import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AttendedSession } from './certificate';

/** The reads a certificate needs beyond a find on one entity. */
@Injectable()
export class CertificatesRepository {
  /**
   * Every session the volunteer was present at, in any course (make-ups included, as the
   * course requirement counts them), with its course and topics in curriculum order.
   */
  async attendedSessions(em: EntityManager, volunteerId: string): Promise<AttendedSession[]> {
    const rows = await em.query<
      {
        courseId: string;
        courseTitle: string;
        startsAt: Date;
        endsAt: Date;
        hours: string;
        topics: string[];
      }[]
    >(
      `SELECT s.course_id AS "courseId", c.title AS "courseTitle", s.starts_at AS "startsAt",
              s.ends_at AS "endsAt", extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours,
              coalesce(array_agg(t.code ORDER BY t.position) FILTER (WHERE t.code IS NOT NULL),
                       '{}') AS topics
         FROM attendance a
         JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
         JOIN course c ON c.id = s.course_id
         LEFT JOIN course_session_topic st ON st.session_id = s.id
         LEFT JOIN topic t ON t.code = st.topic_code
        WHERE a.volunteer_id = $1 AND a.present
        GROUP BY s.id, c.id
        ORDER BY s.starts_at`,
      [volunteerId],
    );
    // numeric arrives as text from the driver.
    return rows.map((r) => ({ ...r, hours: Number(r.hours) }));
  }
}
