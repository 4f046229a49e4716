import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits that hold across instances, personal links that rotate and expire, and
 * the queue of public requests (applications, link re-sends) that are answered before
 * they are worked on, so the answer's timing cannot tell who has applied.
 */
export class LimitsAndLinks1764547200000 implements MigrationInterface {
  name = 'LimitsAndLinks1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- One counter per limit and subject (the subject hashed: no address in plain text).
      CREATE TABLE rate_limit (
        key text NOT NULL,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz,
        CONSTRAINT rate_limit_pkey PRIMARY KEY (key),
        CONSTRAINT rate_limit_hits_check CHECK (hits >= 0)
      );
      CREATE INDEX rate_limit_window_ends_at_idx ON rate_limit (window_ends_at);

      -- Links made before this migration count as used now: nobody is logged out by it.
      ALTER TABLE portal_token ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX portal_token_volunteer_id_last_used_at_idx ON portal_token (volunteer_id, last_used_at);

      CREATE TABLE public_request (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- a failed try waits before the next; after the last it is kept, not dropped
        available_at timestamptz NOT NULL DEFAULT now(),
        failed_at timestamptz,
        last_error text,
        CONSTRAINT public_request_pkey PRIMARY KEY (id),
        CONSTRAINT public_request_kind_check CHECK (kind IN ('application', 'portal_link'))
      );
      CREATE INDEX public_request_due_idx ON public_request (available_at) WHERE failed_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE public_request;
      DROP INDEX portal_token_volunteer_id_last_used_at_idx;
      ALTER TABLE portal_token DROP COLUMN last_used_at;
      DROP TABLE rate_limit;
    `);
  }
}
