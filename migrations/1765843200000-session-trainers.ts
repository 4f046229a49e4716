import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who teaches a session: a staff user (a coordinator of the course's branch or an
 * admin; the service checks that, since a role can change later) or an external
 * trainer known only by name. A deleted staff user leaves the session without a trainer.
 */
export class SessionTrainers1765843200000 implements MigrationInterface {
  name = 'SessionTrainers1765843200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE course_session
        ADD COLUMN trainer_name text,
        ADD COLUMN trainer_user_id uuid REFERENCES staff_user (id) ON DELETE SET NULL,
        ADD CONSTRAINT course_session_trainer_name_check CHECK (length(trainer_name) <= 200);
      CREATE INDEX course_session_trainer_user_idx ON course_session (trainer_user_id)
        WHERE trainer_user_id IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX course_session_trainer_user_idx;
      ALTER TABLE course_session
        DROP CONSTRAINT course_session_trainer_name_check,
        DROP COLUMN trainer_user_id,
        DROP COLUMN trainer_name;
    `);
  }
}
