import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * scheduled_run: one row per job and period, claimed by the instance that does the run,
 * so that any number of instances do each period once. The primary key is the claim
 * (INSERT … ON CONFLICT DO NOTHING); a failed run deletes its row so the next tick
 * retries, and finished_at tells a run that is done from one that is still going (or
 * whose instance died: it can be taken over after a lease).
 *
 * outbox_message.body_purged_at: when retention blanked the body of a sent message
 * (MAIL_BODY_RETENTION_DAYS); the row itself, its address and times stay as metadata.
 */
export class ScheduledRunsAndMailPurge1766275200000 implements MigrationInterface {
  name = 'ScheduledRunsAndMailPurge1766275200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scheduled_run (
        job text NOT NULL,
        period_key text NOT NULL,
        instance text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT scheduled_run_pkey PRIMARY KEY (job, period_key),
        CONSTRAINT scheduled_run_finished_at_check CHECK (finished_at IS NULL OR finished_at >= started_at)
      );

      ALTER TABLE outbox_message ADD COLUMN body_purged_at timestamptz;
      ALTER TABLE outbox_message ADD CONSTRAINT outbox_message_body_purged_at_check
        CHECK (body_purged_at IS NULL OR status = 'sent');
      -- The daily purge looks for sent messages whose body is still there.
      CREATE INDEX outbox_message_purge_idx ON outbox_message (sent_at)
        WHERE status = 'sent' AND body_purged_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX outbox_message_purge_idx;
      ALTER TABLE outbox_message DROP CONSTRAINT outbox_message_body_purged_at_check;
      ALTER TABLE outbox_message DROP COLUMN body_purged_at;
      DROP TABLE scheduled_run;
    `);
  }
}
