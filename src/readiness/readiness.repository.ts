import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The readiness reads that are more than a find on one entity. */
@Injectable()
export class ReadinessRepository {
  /**
   * The sessions a volunteer attended, in any course of the branch (a missed session may
   * be made up in another course), with their hours and topics: one query.
   */
  async attendedSessions(em: EntityManager, volunteerId: string) {
    const rows = await em.query<{ hours: string; topics: string[] }[]>(
      `SELECT extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours,
              coalesce(array_agg(t.topic_code) FILTER (WHERE t.topic_code IS NOT NULL), '{}') AS topics
         FROM attendance a
         JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
         LEFT JOIN course_session_topic t ON t.session_id = s.id
        WHERE a.volunteer_id = $1 AND a.present
        GROUP BY s.id`,
      [volunteerId],
    );
    return rows.map((r) => ({ hours: Number(r.hours), topics: r.topics }));
  }
}
