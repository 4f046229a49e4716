import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The readiness views, same columns and meaning, written per row so that a filter on the
 * volunteer (or course) is applied first (`npm run bench:national`, 100,000 volunteers):
 *
 * - volunteer_certificate was a DISTINCT ON over every certificate in the country, sorted
 *   before a branch filter could apply (286 ms for one branch). Now each volunteer's
 *   newest certificate is one probe of attestation_volunteer_id_idx, whose order
 *   (received_on DESC, created_at DESC) is the rule's; volunteers without a certificate
 *   have no row, as before.
 * - course_progress grouped every session of every course; now each course reads its own
 *   sessions (course_session_course_id_idx). An aggregate without GROUP BY answers one
 *   row, so a course without live sessions keeps its row (not started, not ended).
 * - volunteer_course_progress read the attended sessions once for the hours and once per
 *   mandatory topic; now the volunteer's live attended sessions are read once, for the
 *   hours and the topics they covered, and the missing topics are the mandatory ones not
 *   among them.
 * - attestation (received_on) of clean certificates: the dashboard's certificates
 *   expiring, a window of days instead of every volunteer's newest certificate.
 */
export class BranchFirstViews1766793600000 implements MigrationInterface {
  name = 'BranchFirstViews1766793600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE VIEW volunteer_certificate AS
        SELECT v.id AS volunteer_id, l.attestation_id, l.result, l.received_on, l.valid_until, l.valid
          FROM volunteer v
         CROSS JOIN LATERAL (
           SELECT a.id AS attestation_id, a.result, a.received_on,
                  attestation_valid_until(a.received_on, r.attestation_valid_months) AS valid_until,
                  a.result = 'clean'
                    AND attestation_valid_until(a.received_on, r.attestation_valid_months)
                        >= copenhagen_today() AS valid
             FROM attestation a CROSS JOIN rule_settings r
            WHERE a.volunteer_id = v.id
            ORDER BY a.received_on DESC, a.created_at DESC
            LIMIT 1) l;

      CREATE OR REPLACE VIEW course_progress AS
        SELECT c.id AS course_id,
               s.first_starts_at,
               coalesce(s.first_starts_at <= now(), false) AS started,
               coalesce(s.last_ends_at <= now(), false) AS ended,
               coalesce(s.first_starts_at > now(), false) AS open
          FROM course c
         CROSS JOIN LATERAL (
           SELECT min(s.starts_at) AS first_starts_at, max(s.ends_at) AS last_ends_at
             FROM course_session s
            WHERE s.course_id = c.id AND s.cancelled_at IS NULL) s;

      CREATE OR REPLACE VIEW volunteer_course_progress AS
        SELECT v.id AS volunteer_id, h.hours_attended, m.missing_topics, c.required_hours,
               (h.hours_attended >= c.required_hours AND cardinality(m.missing_topics) = 0)
                 OR pc.completed_on IS NOT NULL AS completed,
               pc.completed_on AS prior_completed_on
          FROM volunteer v
         CROSS JOIN curriculum c
          LEFT JOIN prior_course_completion pc ON pc.volunteer_id = v.id
         CROSS JOIN LATERAL (
           SELECT coalesce(round(sum(extract(epoch FROM s.ends_at - s.starts_at) / 3600), 2), 0)
                    AS hours_attended,
                  coalesce(array_agg(s.id), '{}') AS sessions
             FROM attendance a
             JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
            WHERE a.volunteer_id = v.id AND a.present) h
         CROSS JOIN LATERAL (
           SELECT coalesce(array_agg(tp.code ORDER BY tp.position), '{}') AS missing_topics
             FROM topic tp
            WHERE tp.mandatory AND NOT EXISTS (
              SELECT 1 FROM course_session_topic t
               WHERE t.session_id = ANY (h.sessions) AND t.topic_code = tp.code)) m;

      CREATE INDEX attestation_clean_received_on_idx ON attestation (received_on)
        WHERE result = 'clean';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX attestation_clean_received_on_idx;

      CREATE OR REPLACE VIEW volunteer_course_progress AS
        SELECT v.id AS volunteer_id, h.hours_attended, m.missing_topics, c.required_hours,
               (h.hours_attended >= c.required_hours AND cardinality(m.missing_topics) = 0)
                 OR pc.completed_on IS NOT NULL AS completed,
               pc.completed_on AS prior_completed_on
          FROM volunteer v
         CROSS JOIN curriculum c
         LEFT JOIN prior_course_completion pc ON pc.volunteer_id = v.id
         CROSS JOIN LATERAL (
           SELECT coalesce(round(sum(extract(epoch FROM s.ends_at - s.starts_at) / 3600), 2), 0)
                    AS hours_attended
             FROM attendance a
             JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
            WHERE a.volunteer_id = v.id AND a.present) h
         CROSS JOIN LATERAL (
           SELECT coalesce(array_agg(tp.code ORDER BY tp.position), '{}') AS missing_topics
             FROM topic tp
            WHERE tp.mandatory AND NOT EXISTS (
              SELECT 1 FROM attendance a
                JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
                JOIN course_session_topic t ON t.session_id = s.id AND t.topic_code = tp.code
               WHERE a.volunteer_id = v.id AND a.present)) m;

      CREATE OR REPLACE VIEW course_progress AS
        SELECT c.id AS course_id,
               min(s.starts_at) AS first_starts_at,
               coalesce(min(s.starts_at) <= now(), false) AS started,
               coalesce(max(s.ends_at) <= now(), false) AS ended,
               coalesce(min(s.starts_at) > now(), false) AS open
          FROM course c
          LEFT JOIN course_session s ON s.course_id = c.id AND s.cancelled_at IS NULL
         GROUP BY c.id;

      CREATE OR REPLACE VIEW volunteer_certificate AS
        SELECT DISTINCT ON (a.volunteer_id)
               a.volunteer_id, a.id AS attestation_id, a.result, a.received_on,
               attestation_valid_until(a.received_on, r.attestation_valid_months) AS valid_until,
               a.result = 'clean'
                 AND attestation_valid_until(a.received_on, r.attestation_valid_months)
                     >= copenhagen_today() AS valid
          FROM attestation a CROSS JOIN rule_settings r
         ORDER BY a.volunteer_id, a.received_on DESC, a.created_at DESC;
    `);
  }
}
