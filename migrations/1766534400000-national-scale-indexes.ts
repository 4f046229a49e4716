import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for a national organisation (100,000 volunteers over 50 branches, 2,000
 * courses; `npm run bench:national`), each for a plan that read a whole table:
 *
 * - attestation (volunteer_id, received_on DESC, created_at DESC): the order of the
 *   view volunteer_certificate's DISTINCT ON, so the newest certificate is read off the
 *   index instead of sorting every certificate in the country (it replaces the index
 *   without created_at, whose prefix it covers);
 * - home_visit (volunteer_id) of live visits: "has a visit not cancelled" (the
 *   dashboard's new applications and funnel) answered from the index alone;
 * - home_visit (scheduled_at) of planned visits: the dashboard's visits this week, a
 *   range of the few open visits instead of all of them;
 * - volunteer (created_at), and per branch, of active applicants: the dashboard's
 *   longest-waiting new applications read in order and stopped at 50;
 * - volunteer (created_at DESC, id): an admin's list of every branch, newest first,
 *   read in order and stopped at the page's end instead of sorting 100,000 rows (the
 *   branch's own list has (branch_id, created_at DESC, id));
 * - booking (course_id) of booked seats: the seats taken of each course counted from
 *   the index (the dashboard's courses with seats, course lists).
 */
export class NationalScaleIndexes1766534400000 implements MigrationInterface {
  name = 'NationalScaleIndexes1766534400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX attestation_volunteer_id_idx;
      CREATE INDEX attestation_volunteer_id_idx
        ON attestation (volunteer_id, received_on DESC, created_at DESC);
      CREATE INDEX home_visit_live_volunteer_id_idx ON home_visit (volunteer_id)
        WHERE cancelled_at IS NULL;
      CREATE INDEX home_visit_planned_idx ON home_visit (scheduled_at)
        WHERE outcome IS NULL AND cancelled_at IS NULL;
      CREATE INDEX volunteer_applied_created_at_idx ON volunteer (created_at)
        WHERE status = 'active' AND stage = 'applied';
      CREATE INDEX volunteer_applied_branch_created_at_idx ON volunteer (branch_id, created_at)
        WHERE status = 'active' AND stage = 'applied';
      CREATE INDEX volunteer_created_at_idx ON volunteer (created_at DESC, id);
      CREATE INDEX booking_booked_course_id_idx ON booking (course_id) WHERE status = 'booked';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX booking_booked_course_id_idx;
      DROP INDEX volunteer_created_at_idx;
      DROP INDEX volunteer_applied_branch_created_at_idx;
      DROP INDEX volunteer_applied_created_at_idx;
      DROP INDEX home_visit_planned_idx;
      DROP INDEX home_visit_live_volunteer_id_idx;
      DROP INDEX attestation_volunteer_id_idx;
      CREATE INDEX attestation_volunteer_id_idx ON attestation (volunteer_id, received_on DESC);
    `);
  }
}
