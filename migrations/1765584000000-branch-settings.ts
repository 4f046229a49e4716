import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an administrator keeps on a branch: a contact address, whether it is active (an
 * inactive branch takes no applications), and which single branch is the fallback that
 * receives applications whose postcode no branch covers. The partial unique index makes
 * "at most one fallback" hold whatever code path writes.
 */
export class BranchSettings1765584000000 implements MigrationInterface {
  name = 'BranchSettings1765584000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE branch
        ADD COLUMN contact_email text,
        ADD COLUMN active boolean NOT NULL DEFAULT true,
        ADD COLUMN fallback boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT branch_contact_email_check CHECK (length(contact_email) <= 254),
        ADD CONSTRAINT branch_fallback_active_check CHECK (NOT fallback OR active);
      CREATE UNIQUE INDEX branch_fallback_key ON branch (fallback) WHERE fallback;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX branch_fallback_key;
      ALTER TABLE branch
        DROP COLUMN fallback,
        DROP COLUMN active,
        DROP COLUMN contact_email;
    `);
  }
}
