import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A branch moves in with its spreadsheet (issue 15): people imported from it have not
 * consented in Klar (`consent_source = 'import'`, `consent_at` empty until they agree on
 * their personal page), and a 20-hour course they completed before Klar is a record of
 * its own that meets the course requirement in full: `volunteer_course_progress` counts
 * it, so the SQL half of the readiness rule agrees with src/readiness/readiness.ts.
 */
export class Imports1766448000000 implements MigrationInterface {
  name = 'Imports1766448000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE volunteer
        ALTER COLUMN consent_at DROP NOT NULL,
        ADD CONSTRAINT volunteer_consent_given_check
          CHECK (consent_at IS NOT NULL OR consent_source = 'import');

      CREATE TABLE prior_course_completion (
        volunteer_id uuid NOT NULL,
        completed_on date NOT NULL,
        hours numeric(5, 2),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prior_course_completion_pkey PRIMARY KEY (volunteer_id),
        CONSTRAINT prior_course_completion_volunteer_id_fkey FOREIGN KEY (volunteer_id)
          REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT prior_course_completion_hours_check CHECK (hours IS NULL OR hours > 0)
      );

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
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP VIEW volunteer_course_progress;
      CREATE VIEW volunteer_course_progress AS
        SELECT v.id AS volunteer_id, h.hours_attended, m.missing_topics, c.required_hours,
               h.hours_attended >= c.required_hours AND cardinality(m.missing_topics) = 0 AS completed
          FROM volunteer v
         CROSS JOIN curriculum c
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
      DROP TABLE prior_course_completion;
      DELETE FROM volunteer WHERE consent_at IS NULL;
      ALTER TABLE volunteer
        DROP CONSTRAINT volunteer_consent_given_check,
        ALTER COLUMN consent_at SET NOT NULL;
    `);
  }
}
