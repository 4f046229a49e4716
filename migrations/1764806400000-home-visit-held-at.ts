import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a home visit was held, apart from when its outcome was typed in: a coordinator
 * records a visit days later, or registers one held before Klar. An outcome always has
 * one, and a visit is never held after its outcome was recorded.
 */
export class HomeVisitHeldAt1764806400000 implements MigrationInterface {
  name = 'HomeVisitHeldAt1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE home_visit ADD COLUMN held_at timestamptz;
      -- Outcomes recorded before this column: held as planned, unless the outcome came first.
      UPDATE home_visit SET held_at = LEAST(scheduled_at, outcome_at) WHERE outcome IS NOT NULL;
      ALTER TABLE home_visit
        ADD CONSTRAINT home_visit_held_at_check
        CHECK ((outcome IS NULL) = (held_at IS NULL) AND held_at <= outcome_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE home_visit DROP CONSTRAINT home_visit_held_at_check;
      ALTER TABLE home_visit DROP COLUMN held_at;
    `);
  }
}
