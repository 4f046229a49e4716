import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a course stands in time, once: started when its first live session has begun,
 * ended when its last is over (a course without live sessions is neither, and is not
 * open for booking). Booking, cancelling, promoting from the waitlist, the list of
 * courses open for booking and the one-course-at-a-time check all ask it.
 */
export class CourseProgress1764892800000 implements MigrationInterface {
  name = 'CourseProgress1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW course_progress AS
        SELECT c.id AS course_id,
               min(s.starts_at) AS first_starts_at,
               coalesce(min(s.starts_at) <= now(), false) AS started,
               coalesce(max(s.ends_at) <= now(), false) AS ended,
               coalesce(min(s.starts_at) > now(), false) AS open
          FROM course c
          LEFT JOIN course_session s ON s.course_id = c.id AND s.cancelled_at IS NULL
         GROUP BY c.id;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP VIEW course_progress');
  }
}
