import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Course materials: a file or a link on a curriculum topic (national, by an
 * administrator) or on one session (by its branch). Files live in the database, in
 * chunks of about 256 KB, so the embedded database and a server behave alike, backups
 * hold them, and a download streams chunk by chunk. Each upload is a new version; a
 * reading confirmation names the version it confirms, so a new upload asks again.
 */
export class Materials1765756800000 implements MigrationInterface {
  name = 'Materials1765756800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE material (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        title text NOT NULL,
        topic_code text,
        session_id uuid,
        url text,
        requires_confirmation boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT material_pkey PRIMARY KEY (id),
        CONSTRAINT material_topic_code_fkey FOREIGN KEY (topic_code) REFERENCES topic (code) ON UPDATE CASCADE ON DELETE CASCADE,
        CONSTRAINT material_session_id_fkey FOREIGN KEY (session_id) REFERENCES course_session (id) ON DELETE CASCADE,
        CONSTRAINT material_title_check CHECK (length(title) BETWEEN 1 AND 200),
        CONSTRAINT material_url_check CHECK (url ~ '^https?://' AND length(url) <= 2000),
        CONSTRAINT material_one_place_check CHECK ((topic_code IS NULL) <> (session_id IS NULL)),
        CONSTRAINT material_version_check CHECK (version >= 1)
      );
      CREATE INDEX material_topic_code_idx ON material (topic_code);
      CREATE INDEX material_session_id_idx ON material (session_id);

      CREATE TABLE material_version (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        material_id uuid NOT NULL,
        version integer NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        chunks integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT material_version_pkey PRIMARY KEY (id),
        CONSTRAINT material_version_material_id_fkey FOREIGN KEY (material_id) REFERENCES material (id) ON DELETE CASCADE,
        CONSTRAINT material_version_key UNIQUE (material_id, version),
        CONSTRAINT material_version_size_check CHECK (size BETWEEN 0 AND 20971520)
      );

      CREATE TABLE material_chunk (
        version_id uuid NOT NULL,
        n integer NOT NULL,
        data bytea NOT NULL,
        CONSTRAINT material_chunk_pkey PRIMARY KEY (version_id, n),
        CONSTRAINT material_chunk_version_id_fkey FOREIGN KEY (version_id) REFERENCES material_version (id) ON DELETE CASCADE
      );

      CREATE TABLE material_confirmation (
        material_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        version integer NOT NULL,
        confirmed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT material_confirmation_pkey PRIMARY KEY (material_id, volunteer_id, version),
        CONSTRAINT material_confirmation_material_id_fkey FOREIGN KEY (material_id) REFERENCES material (id) ON DELETE CASCADE,
        CONSTRAINT material_confirmation_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE material_confirmation;
      DROP TABLE material_chunk;
      DROP TABLE material_version;
      DROP TABLE material;
    `);
  }
}
