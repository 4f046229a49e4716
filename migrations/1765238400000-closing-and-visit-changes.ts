import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why and by whom an application was closed (withdrawn or declined), shown on the record
 * until it is reactivated; and home visits that are moved or cancelled. A cancelled visit
 * is kept (the history and the volunteer's calendar refer to it) but no longer counts as
 * planned; `sequence` rises with every change so calendars replace the entry they hold.
 */
export class ClosingAndVisitChanges1765238400000 implements MigrationInterface {
  name = 'ClosingAndVisitChanges1765238400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE volunteer
        ADD COLUMN closed_reason text,
        ADD COLUMN closed_note text,
        ADD COLUMN closed_by uuid;
      ALTER TABLE volunteer
        ADD CONSTRAINT volunteer_closed_by_fkey FOREIGN KEY (closed_by) REFERENCES staff_user (id),
        ADD CONSTRAINT volunteer_closed_reason_check CHECK (char_length(closed_reason) <= 200),
        ADD CONSTRAINT volunteer_closed_details_check
          CHECK (closed_at IS NOT NULL OR (closed_reason IS NULL AND closed_note IS NULL AND closed_by IS NULL));

      ALTER TABLE home_visit
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancelled_by uuid,
        ADD COLUMN sequence integer NOT NULL DEFAULT 0;
      ALTER TABLE home_visit
        ADD CONSTRAINT home_visit_cancelled_by_fkey FOREIGN KEY (cancelled_by) REFERENCES staff_user (id),
        ADD CONSTRAINT home_visit_cancelled_check
          CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL) AND (cancelled_at IS NULL OR outcome IS NULL));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE home_visit
        DROP CONSTRAINT home_visit_cancelled_check,
        DROP CONSTRAINT home_visit_cancelled_by_fkey,
        DROP COLUMN sequence,
        DROP COLUMN cancelled_by,
        DROP COLUMN cancelled_at;
      ALTER TABLE volunteer
        DROP CONSTRAINT volunteer_closed_details_check,
        DROP CONSTRAINT volunteer_closed_reason_check,
        DROP CONSTRAINT volunteer_closed_by_fkey,
        DROP COLUMN closed_by,
        DROP COLUMN closed_note,
        DROP COLUMN closed_reason;
    `);
  }
}
