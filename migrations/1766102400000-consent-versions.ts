import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent a volunteer gave names the version of the text they were shown, and where
 * it was given (the application form, or later on the personal page after an import).
 * `consent_text` keeps every version's words, so a record can show what was agreed to.
 * Everyone who applied before agreed to the one text there was: "v1", given when they
 * applied.
 */
export class ConsentVersions1766102400000 implements MigrationInterface {
  name = 'ConsentVersions1766102400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consent_text (
        version text PRIMARY KEY,
        text_da text NOT NULL,
        text_en text NOT NULL,
        first_shown_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO consent_text (version, text_da, text_en, first_shown_at)
        VALUES (
          'v1',
          'Vi bruger dine oplysninger til at behandle din ansøgning og forberede dig som familieven: koordinatoren i din lokalafdeling kan se dem, og alle beslutninger logges. Børneattesten indhenter vi kun med dit særskilte samtykke, og vi gemmer kun resultatet, aldrig selve attesten. Trækker du din ansøgning tilbage eller får afslag, sletter vi dine oplysninger efter en fast periode.',
          'We use your details to process your application and prepare you as a family friend: the coordinator of your branch can see them and every decision is logged. We obtain the child certificate only with your separate consent and keep only its result, never the certificate itself. If you withdraw or are declined, we erase your details after a fixed period.',
          COALESCE((SELECT min(created_at) FROM volunteer), now())
        );
      ALTER TABLE volunteer
        ADD COLUMN consent_text_version text REFERENCES consent_text (version),
        ADD COLUMN consent_source text NOT NULL DEFAULT 'application',
        ADD CONSTRAINT volunteer_consent_source_check
          CHECK (consent_source IN ('application', 'import'));
      UPDATE volunteer SET consent_text_version = 'v1';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE volunteer
        DROP COLUMN consent_source,
        DROP COLUMN consent_text_version;
      DROP TABLE consent_text;
    `);
  }
}
