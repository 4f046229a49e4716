import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extra requirements an administrator adds to readiness for all branches (issue 15 part
 * 4, issue 13): met by a coordinator's record, or, when tied to a topic material, by the
 * volunteer's reading confirmation of its current version. `renew_months` makes one
 * lapse like the certificate (the same last-valid-day rule). `volunteer_requirement` is
 * the SQL half of the rule in src/readiness/readiness.ts (assessExtra); the stored
 * mark's `matchable_until` is the earliest last valid day of the certificate and these.
 */
export class ExtraRequirements1766016000000 implements MigrationInterface {
  name = 'ExtraRequirements1766016000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE requirement (
        key text NOT NULL,
        name_da text NOT NULL,
        name_en text NOT NULL,
        description text,
        renew_months integer,
        material_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT requirement_pkey PRIMARY KEY (key),
        CONSTRAINT requirement_material_id_fkey FOREIGN KEY (material_id) REFERENCES material (id) ON DELETE RESTRICT,
        CONSTRAINT requirement_key_check CHECK (key ~ '^[a-z][a-z0-9_]{2,40}$'),
        CONSTRAINT requirement_renew_months_check CHECK (renew_months BETWEEN 1 AND 240)
      );
      CREATE INDEX requirement_material_id_idx ON requirement (material_id);

      CREATE TABLE volunteer_requirement_record (
        volunteer_id uuid NOT NULL,
        requirement_key text NOT NULL,
        met_on date NOT NULL,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_requirement_record_pkey PRIMARY KEY (volunteer_id, requirement_key),
        CONSTRAINT volunteer_requirement_record_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT volunteer_requirement_record_requirement_key_fkey FOREIGN KEY (requirement_key) REFERENCES requirement (key) ON DELETE CASCADE,
        CONSTRAINT volunteer_requirement_record_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES staff_user (id)
      );
      CREATE INDEX volunteer_requirement_record_key_idx ON volunteer_requirement_record (requirement_key);

      -- Each volunteer against each extra requirement: the day it was met (the record, or
      -- the confirmation of the material's current version, as a day in Copenhagen), the
      -- last valid day when it must be renewed, and whether it holds today.
      CREATE VIEW volunteer_requirement AS
        SELECT v.id AS volunteer_id, d.key, m.met_on,
               CASE WHEN d.renew_months IS NOT NULL
                    THEN attestation_valid_until(m.met_on, d.renew_months) END AS valid_until,
               m.met_on IS NOT NULL
                 AND (d.renew_months IS NULL
                      OR attestation_valid_until(m.met_on, d.renew_months) >= copenhagen_today()) AS met
          FROM volunteer v
         CROSS JOIN requirement d
         CROSS JOIN LATERAL (
           SELECT CASE WHEN d.material_id IS NULL THEN
                    (SELECT r.met_on FROM volunteer_requirement_record r
                      WHERE r.volunteer_id = v.id AND r.requirement_key = d.key)
                  ELSE
                    (SELECT (c.confirmed_at AT TIME ZONE 'Europe/Copenhagen')::date
                       FROM material_confirmation c
                       JOIN material mt ON mt.id = c.material_id AND mt.version = c.version
                      WHERE c.material_id = d.material_id AND c.volunteer_id = v.id)
                  END AS met_on) m;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP VIEW volunteer_requirement;
      DROP TABLE volunteer_requirement_record;
      DROP TABLE requirement;
    `);
  }
}
