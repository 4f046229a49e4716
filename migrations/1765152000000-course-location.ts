import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a course is usually held: the location a new session of it starts from, so a
 * coordinator does not type the same address for every session.
 */
export class CourseLocation1765152000000 implements MigrationInterface {
  name = 'CourseLocation1765152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE course ADD COLUMN location text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE course DROP COLUMN location');
  }
}
