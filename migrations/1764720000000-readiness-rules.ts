import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The readiness rules once, in SQL, for every list, count and job that cannot ask the
 * TypeScript rules row by row (src/readiness/readiness.ts is the other half; a test runs
 * both over the same cases). `rule_settings` holds the settings the stored stages were
 * derived with, so views need no parameter and start-up can tell when they changed.
 * `volunteer.matchable_until` is the last day the time-bound requirement (the
 * certificate) holds, so "matchable today" needs no job to run at midnight.
 */
export class ReadinessRules1764720000000 implements MigrationInterface {
  name = 'ReadinessRules1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rule_settings (
        id boolean NOT NULL DEFAULT true,
        attestation_valid_months integer NOT NULL,
        CONSTRAINT rule_settings_pkey PRIMARY KEY (id),
        CONSTRAINT rule_settings_single_row_check CHECK (id),
        CONSTRAINT rule_settings_attestation_valid_months_check CHECK (attestation_valid_months > 0)
      );
      -- The default of ATTESTATION_VALID_MONTHS; start-up re-derives if the app says otherwise.
      INSERT INTO rule_settings (attestation_valid_months) VALUES (24);

      CREATE FUNCTION copenhagen_today() RETURNS date
        LANGUAGE sql STABLE
        AS $$ SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date $$;

      -- The same day N months on, minus a day; where that month has no such day, its last day.
      CREATE FUNCTION attestation_valid_until(received date, valid_months integer) RETURNS date
        LANGUAGE sql IMMUTABLE
        AS $$
          SELECT CASE
                   WHEN extract(day FROM received + make_interval(months => valid_months))
                        < extract(day FROM received)
                   THEN (received + make_interval(months => valid_months))::date
                   ELSE (received + make_interval(months => valid_months))::date - 1
                 END
        $$;

      -- The newest certificate decides: a renewal replaces an expired one.
      CREATE VIEW volunteer_certificate AS
        SELECT DISTINCT ON (a.volunteer_id)
               a.volunteer_id, a.id AS attestation_id, a.result, a.received_on,
               attestation_valid_until(a.received_on, r.attestation_valid_months) AS valid_until,
               a.result = 'clean'
                 AND attestation_valid_until(a.received_on, r.attestation_valid_months)
                     >= copenhagen_today() AS valid
          FROM attestation a CROSS JOIN rule_settings r
         ORDER BY a.volunteer_id, a.received_on DESC, a.created_at DESC;

      -- Hours over the non-cancelled sessions attended present, in any course (a missed
      -- session may be made up elsewhere), and the mandatory topics none of them covered.
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

      ALTER TABLE volunteer ADD COLUMN matchable_until date;
      UPDATE volunteer v SET matchable_until = c.valid_until
        FROM volunteer_certificate c
       WHERE c.volunteer_id = v.id AND v.stage = 'matchable';

      -- Written plainly so that, inlined, a filter on it can use the stage indexes.
      CREATE FUNCTION volunteer_matchable_today(stage text, matchable_until date) RETURNS boolean
        LANGUAGE sql STABLE
        AS $$ SELECT stage = 'matchable' AND matchable_until >= copenhagen_today() $$;

      -- Time moves a volunteer only from matchable back to approved (an approved visit
      -- is final, so a lapsed certificate leaves them approved).
      CREATE FUNCTION volunteer_stage_today(stage text, matchable_until date) RETURNS text
        LANGUAGE sql STABLE
        AS $$
          SELECT CASE
                   WHEN stage <> 'matchable' THEN stage
                   WHEN coalesce(volunteer_matchable_today(stage, matchable_until), false) THEN stage
                   ELSE 'approved'
                 END
        $$;

      CREATE INDEX volunteer_matchable_until_idx ON volunteer (matchable_until) WHERE stage = 'matchable';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX volunteer_matchable_until_idx;
      DROP FUNCTION volunteer_stage_today(text, date);
      DROP FUNCTION volunteer_matchable_today(text, date);
      ALTER TABLE volunteer DROP COLUMN matchable_until;
      DROP VIEW volunteer_course_progress;
      DROP VIEW volunteer_certificate;
      DROP FUNCTION attestation_valid_until(date, integer);
      DROP FUNCTION copenhagen_today();
      DROP TABLE rule_settings;
    `);
  }
}
