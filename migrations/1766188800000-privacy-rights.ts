import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure and the volunteer's own requests (issue 14):
 * - volunteer.erased_at marks a tombstone: the row keeps only the anonymous facts the
 *   year's figures read (branch, dates, stage reached), and every read leaves it out.
 * - outbox_message.erase_after_send: the farewell mail to an erased person is queued with
 *   it; the worker empties its address and bodies once it is sent (or given up on).
 * - erasure_request: a volunteer's own "delete me", with the 30-day deadline the
 *   coordinator's dashboard shows; one open request a person.
 * - audit_event stays append-only, except that an erasure (and only inside one, marked
 *   by the transaction-local setting klar.erasing) may empty the details of a row.
 */
export class PrivacyRights1766188800000 implements MigrationInterface {
  name = 'PrivacyRights1766188800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE volunteer ADD COLUMN erased_at timestamptz;
      ALTER TABLE outbox_message ADD COLUMN erase_after_send boolean NOT NULL DEFAULT false;

      CREATE TABLE erasure_request (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        due_on date NOT NULL,
        handled_at timestamptz,
        CONSTRAINT erasure_request_pkey PRIMARY KEY (id),
        CONSTRAINT erasure_request_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX erasure_request_open_key ON erasure_request (volunteer_id) WHERE handled_at IS NULL;

      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND current_setting('klar.erasing', true) = 'on'
           AND NEW.details = '{}'::jsonb
           AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
           AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
           AND NEW.action = OLD.action
           AND NEW.branch_id IS NOT DISTINCT FROM OLD.branch_id
           AND NEW.volunteer_id IS NOT DISTINCT FROM OLD.volunteer_id THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only';
      END;
      $$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
      END;
      $$;
      DROP TABLE erasure_request;
      ALTER TABLE outbox_message DROP COLUMN erase_after_send;
      ALTER TABLE volunteer DROP COLUMN erased_at;
    `);
  }
}
