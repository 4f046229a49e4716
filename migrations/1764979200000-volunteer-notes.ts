import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contact log on a volunteer's record: what was said on the phone, what was agreed.
 * Notes are the coordinators' own words, so they go with the person (cascade on erasure);
 * a note may say which requirement it concerns.
 */
export class VolunteerNotes1764979200000 implements MigrationInterface {
  name = 'VolunteerNotes1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE volunteer_note (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        author_id uuid NOT NULL,
        text text NOT NULL,
        topic text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_note_pkey PRIMARY KEY (id),
        CONSTRAINT volunteer_note_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT volunteer_note_author_id_fkey FOREIGN KEY (author_id) REFERENCES staff_user (id),
        CONSTRAINT volunteer_note_text_check CHECK (char_length(text) BETWEEN 1 AND 2000),
        CONSTRAINT volunteer_note_topic_check CHECK (topic IN ('home_visit', 'attestation', 'course'))
      );
      CREATE INDEX volunteer_note_volunteer_id_idx ON volunteer_note (volunteer_id, created_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE volunteer_note`);
  }
}
