import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who teaches a session: a staff user (a coordinator of the course's branch or an
 * admin; the service checks that, since a role can change later) or an external
 * trainer known only by name. A deleted staff user leaves the session without a trainer.
 */
/*
 * The course evaluation keeps who answered apart from what was answered:
 * evaluation_response says only that a volunteer answered for a course (once), while
 * evaluation_answer and evaluation_comment hold the scores and words with the course and
 * nothing that leads back to a person: no volunteer, no time, no submission id (random
 * row ids), so even the answers of one submission cannot be grouped.
 */
export class TrainersAndEvaluation1765843200000 implements MigrationInterface {
  name = 'TrainersAndEvaluation1765843200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE course_session
        ADD COLUMN trainer_name text,
        ADD COLUMN trainer_user_id uuid REFERENCES staff_user (id) ON DELETE SET NULL,
        ADD CONSTRAINT course_session_trainer_name_check CHECK (length(trainer_name) <= 200);
      CREATE INDEX course_session_trainer_user_idx ON course_session (trainer_user_id)
        WHERE trainer_user_id IS NOT NULL;

      CREATE TABLE evaluation_response (
        volunteer_id uuid NOT NULL REFERENCES volunteer (id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        PRIMARY KEY (volunteer_id, course_id)
      );
      CREATE INDEX evaluation_response_course_idx ON evaluation_response (course_id);
      CREATE TABLE evaluation_answer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        statement_key text NOT NULL CHECK (length(statement_key) <= 40),
        score integer NOT NULL CHECK (score BETWEEN 1 AND 5)
      );
      CREATE INDEX evaluation_answer_course_idx ON evaluation_answer (course_id);
      CREATE TABLE evaluation_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
        comment text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000)
      );
      CREATE INDEX evaluation_comment_course_idx ON evaluation_comment (course_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE evaluation_comment;
      DROP TABLE evaluation_answer;
      DROP TABLE evaluation_response;
      DROP INDEX course_session_trainer_user_idx;
      ALTER TABLE course_session
        DROP CONSTRAINT course_session_trainer_name_check,
        DROP COLUMN trainer_user_id,
        DROP COLUMN trainer_name;
    `);
  }
}
