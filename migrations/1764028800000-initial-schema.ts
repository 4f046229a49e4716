import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The volunteer path up to the course: branches, staff, the curriculum, volunteers with
 * their portal tokens, home visits, child certificates and the audit log.
 * Invariants live here as constraints so that no code path can break them.
 */
export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE branch (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        postcodes text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT branch_pkey PRIMARY KEY (id),
        CONSTRAINT branch_code_key UNIQUE (code),
        CONSTRAINT branch_code_check CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 40),
        CONSTRAINT branch_name_check CHECK (length(name) BETWEEN 1 AND 120)
      );

      CREATE TABLE staff_user (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        branch_id uuid,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_user_pkey PRIMARY KEY (id),
        CONSTRAINT staff_user_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branch (id),
        CONSTRAINT staff_user_role_check CHECK (role IN ('admin', 'coordinator')),
        CONSTRAINT staff_user_coordinator_branch_check CHECK (role <> 'coordinator' OR branch_id IS NOT NULL)
      );
      CREATE UNIQUE INDEX staff_user_email_key ON staff_user (lower(email));

      CREATE TABLE auth_token (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT auth_token_pkey PRIMARY KEY (id),
        CONSTRAINT auth_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES staff_user (id) ON DELETE CASCADE,
        CONSTRAINT auth_token_token_hash_key UNIQUE (token_hash)
      );

      CREATE TABLE topic (
        code text NOT NULL,
        title_da text NOT NULL,
        title_en text NOT NULL,
        mandatory boolean NOT NULL,
        position integer NOT NULL,
        CONSTRAINT topic_pkey PRIMARY KEY (code),
        CONSTRAINT topic_code_check CHECK (code ~ '^[a-z][a-z0-9_]*$')
      );

      -- One row: the curriculum's settings.
      CREATE TABLE curriculum (
        id boolean NOT NULL DEFAULT true,
        required_hours numeric(5, 2) NOT NULL,
        CONSTRAINT curriculum_pkey PRIMARY KEY (id),
        CONSTRAINT curriculum_single_row_check CHECK (id),
        CONSTRAINT curriculum_required_hours_check CHECK (required_hours > 0)
      );

      INSERT INTO curriculum (required_hours) VALUES (20);
      INSERT INTO topic (code, title_da, title_en, mandatory, position) VALUES
        ('frameworks', 'Rammer, principper og praksis', 'Frameworks, principles and practice', true, 1),
        ('relations', 'Relationer, værdier, netværk, engagement og involvering', 'Relations, values, network, engagement and involvement', false, 2),
        ('boundaries', 'Grænser', 'Boundaries', true, 3),
        ('diverse_families', 'Nutidens mangfoldige børnefamilier', 'Today''s diverse families with small children', false, 4),
        ('uncrc', 'FN''s børnekonvention', 'The UN Convention on the Rights of the Child', true, 5),
        ('child_safety', 'Børnesikkerhedspolitik', 'Child safety policy', true, 6);

      CREATE TABLE volunteer (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        phone text NOT NULL,
        postcode text NOT NULL,
        motivation text NOT NULL,
        experience text,
        availability text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        locale text NOT NULL DEFAULT 'da',
        consent_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active',
        closed_at timestamptz,
        stage text NOT NULL DEFAULT 'applied',
        matchable_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT volunteer_pkey PRIMARY KEY (id),
        CONSTRAINT volunteer_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branch (id),
        CONSTRAINT volunteer_email_check CHECK (email = lower(email) AND position('@' in email) > 1),
        CONSTRAINT volunteer_postcode_check CHECK (postcode ~ '^[0-9]{4}$'),
        CONSTRAINT volunteer_locale_check CHECK (locale IN ('da', 'en')),
        CONSTRAINT volunteer_status_check CHECK (status IN ('active', 'declined', 'withdrawn')),
        CONSTRAINT volunteer_closed_at_check CHECK ((status = 'active') = (closed_at IS NULL)),
        CONSTRAINT volunteer_stage_check CHECK (stage IN ('applied', 'visit_scheduled', 'approved', 'matchable', 'declined', 'withdrawn')),
        CONSTRAINT volunteer_matchable_since_check CHECK ((stage = 'matchable') = (matchable_since IS NOT NULL))
      );
      -- One application in progress per person: a declined or withdrawn person may apply anew.
      CREATE UNIQUE INDEX volunteer_active_email_key ON volunteer (lower(email)) WHERE status = 'active';
      CREATE INDEX volunteer_branch_id_created_at_idx ON volunteer (branch_id, created_at DESC, id);
      CREATE INDEX volunteer_stage_idx ON volunteer (branch_id, stage);

      CREATE TABLE portal_token (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT portal_token_pkey PRIMARY KEY (id),
        CONSTRAINT portal_token_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT portal_token_token_hash_key UNIQUE (token_hash)
      );

      CREATE TABLE home_visit (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        scheduled_at timestamptz NOT NULL,
        outcome text,
        notes text,
        outcome_at timestamptz,
        outcome_by uuid,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT home_visit_pkey PRIMARY KEY (id),
        CONSTRAINT home_visit_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT home_visit_outcome_by_fkey FOREIGN KEY (outcome_by) REFERENCES staff_user (id),
        CONSTRAINT home_visit_created_by_fkey FOREIGN KEY (created_by) REFERENCES staff_user (id),
        CONSTRAINT home_visit_outcome_check CHECK (outcome IN ('approved', 'declined', 'follow_up')),
        CONSTRAINT home_visit_outcome_recorded_check CHECK ((outcome IS NULL) = (outcome_at IS NULL) AND (outcome IS NULL) = (outcome_by IS NULL))
      );
      CREATE INDEX home_visit_volunteer_id_idx ON home_visit (volunteer_id, scheduled_at);

      -- Facts about the police child certificate only: never the document itself.
      CREATE TABLE attestation (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        requested_on date,
        received_on date NOT NULL,
        result text NOT NULL,
        verified_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT attestation_pkey PRIMARY KEY (id),
        CONSTRAINT attestation_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT attestation_verified_by_fkey FOREIGN KEY (verified_by) REFERENCES staff_user (id),
        CONSTRAINT attestation_result_check CHECK (result IN ('clean', 'has_entries')),
        CONSTRAINT attestation_requested_before_received_check CHECK (requested_on IS NULL OR requested_on <= received_on)
      );
      CREATE INDEX attestation_volunteer_id_idx ON attestation (volunteer_id, received_on DESC);

      -- volunteer_id has no foreign key on purpose: the log outlives an erased applicant.
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        action text NOT NULL,
        branch_id uuid,
        volunteer_id uuid,
        details jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT audit_event_pkey PRIMARY KEY (id),
        CONSTRAINT audit_event_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES staff_user (id),
        CONSTRAINT audit_event_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branch (id)
      );
      CREATE INDEX audit_event_volunteer_id_idx ON audit_event (volunteer_id, occurred_at);

      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
      END;
      $$;
      CREATE TRIGGER audit_event_append_only
        BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE audit_event;
      DROP FUNCTION audit_event_is_append_only();
      DROP TABLE attestation;
      DROP TABLE home_visit;
      DROP TABLE portal_token;
      DROP TABLE volunteer;
      DROP TABLE curriculum;
      DROP TABLE topic;
      DROP TABLE auth_token;
      DROP TABLE staff_user;
      DROP TABLE branch;
    `);
  }
}
