import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff sign-in sessions (and the CSRF token of any visitor's forms) for the web pages,
 * and the secret that signs their cookie: made here once, so every instance and every
 * restart signs alike without another environment variable to set.
 */
export class HttpSessions1764288000000 implements MigrationInterface {
  name = 'HttpSessions1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE http_session (
        sid text NOT NULL,
        sess jsonb NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT http_session_pkey PRIMARY KEY (sid)
      );
      CREATE INDEX http_session_expires_at_idx ON http_session (expires_at);

      CREATE TABLE app_secret (
        name text NOT NULL,
        value text NOT NULL,
        CONSTRAINT app_secret_pkey PRIMARY KEY (name)
      );
      -- Two random UUIDs: 244 random bits from the server's strong generator.
      INSERT INTO app_secret (name, value)
        VALUES ('session', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE app_secret; DROP TABLE http_session;');
  }
}
