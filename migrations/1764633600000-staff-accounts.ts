import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts that can be taken back: a user can be deactivated, has a language for
 * their emails, and a session epoch that every page session carries (raising it ends
 * every session signed in before, even one a request in flight writes back). Password
 * reset links are kept only as hashes, and expire.
 */
export class StaffAccounts1764633600000 implements MigrationInterface {
  name = 'StaffAccounts1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE staff_user
        ADD COLUMN active boolean NOT NULL DEFAULT true,
        ADD COLUMN language text NOT NULL DEFAULT 'da',
        ADD COLUMN session_epoch integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT staff_user_language_check CHECK (language IN ('da', 'en'));

      CREATE TABLE password_reset (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT password_reset_pkey PRIMARY KEY (id),
        CONSTRAINT password_reset_user_id_fkey FOREIGN KEY (user_id) REFERENCES staff_user (id) ON DELETE CASCADE,
        CONSTRAINT password_reset_token_hash_key UNIQUE (token_hash)
      );
      CREATE INDEX password_reset_user_id_idx ON password_reset (user_id, expires_at);

      -- A user's tokens and page sessions are ended together, by user.
      CREATE INDEX auth_token_user_id_idx ON auth_token (user_id);
      CREATE INDEX http_session_user_id_idx ON http_session ((sess->>'userId'));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX http_session_user_id_idx;
      DROP INDEX auth_token_user_id_idx;
      DROP TABLE password_reset;
      ALTER TABLE staff_user
        DROP CONSTRAINT staff_user_language_check,
        DROP COLUMN session_epoch,
        DROP COLUMN language,
        DROP COLUMN active;
    `);
  }
}
