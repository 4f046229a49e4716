import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: every email is a row written in the transaction of the change
 * that causes it, unique per reason, and sent later by a worker that claims rows with
 * FOR UPDATE SKIP LOCKED.
 */
export class Outbox1764201600000 implements MigrationInterface {
  name = 'Outbox1764201600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox_message (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL,
        template text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT outbox_message_pkey PRIMARY KEY (id),
        CONSTRAINT outbox_message_dedupe_key_key UNIQUE (dedupe_key),
        CONSTRAINT outbox_message_status_check CHECK (status IN ('pending', 'sent', 'failed')),
        CONSTRAINT outbox_message_sent_at_check CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT outbox_message_attempts_check CHECK (attempts >= 0)
      );
      CREATE INDEX outbox_message_due_idx ON outbox_message (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_message_status_idx ON outbox_message (status, created_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox_message');
  }
}
