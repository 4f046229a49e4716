import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The import pages (issue 15) keep the uploaded file between the preview and the
 * confirmation: a short-lived row bound to the staff member who uploaded it (the
 * service deletes rows older than an hour). A spreadsheet may leave the postcode out
 * (only names and address are required), so an imported person may have none until
 * they give it: empty text is allowed for them, as consent is.
 */
export class ImportUploads1766707200000 implements MigrationInterface {
  name = 'ImportUploads1766707200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE import_upload (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        staff_user_id uuid NOT NULL,
        branch_id uuid NOT NULL,
        file_name text NOT NULL,
        content bytea NOT NULL,
        send_links boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT import_upload_pkey PRIMARY KEY (id),
        CONSTRAINT import_upload_staff_user_id_fkey FOREIGN KEY (staff_user_id)
          REFERENCES staff_user (id) ON DELETE CASCADE,
        CONSTRAINT import_upload_branch_id_fkey FOREIGN KEY (branch_id)
          REFERENCES branch (id) ON DELETE CASCADE
      );

      ALTER TABLE volunteer
        DROP CONSTRAINT volunteer_postcode_check,
        ADD CONSTRAINT volunteer_postcode_check
          CHECK (postcode ~ '^[0-9]{4}$' OR (postcode = '' AND consent_source = 'import'));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE import_upload;
      UPDATE volunteer SET postcode = '0000' WHERE postcode = '';
      ALTER TABLE volunteer
        DROP CONSTRAINT volunteer_postcode_check,
        ADD CONSTRAINT volunteer_postcode_check CHECK (postcode ~ '^[0-9]{4}$');
    `);
  }
}
