import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 20-hour course: courses with dated sessions and their topics, bookings with an
 * ordered waitlist, attendance, and the volunteer's calendar feed.
 */
export class Courses1764115200000 implements MigrationInterface {
  name = 'Courses1764115200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE course (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL,
        title text NOT NULL,
        capacity integer NOT NULL,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_pkey PRIMARY KEY (id),
        CONSTRAINT course_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branch (id),
        CONSTRAINT course_title_check CHECK (length(title) BETWEEN 1 AND 200),
        CONSTRAINT course_capacity_check CHECK (capacity BETWEEN 1 AND 500)
      );
      CREATE INDEX course_branch_id_idx ON course (branch_id);

      CREATE TABLE course_session (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        location text NOT NULL,
        -- iCalendar SEQUENCE: grows with every change a calendar must pick up.
        sequence integer NOT NULL DEFAULT 0,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_session_pkey PRIMARY KEY (id),
        CONSTRAINT course_session_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id) ON DELETE CASCADE,
        CONSTRAINT course_session_ends_after_start_check CHECK (ends_at > starts_at),
        CONSTRAINT course_session_at_most_12_hours_check CHECK (ends_at - starts_at <= interval '12 hours'),
        CONSTRAINT course_session_location_check CHECK (length(location) BETWEEN 1 AND 200),
        CONSTRAINT course_session_sequence_check CHECK (sequence >= 0)
      );
      CREATE INDEX course_session_course_id_idx ON course_session (course_id, starts_at);

      CREATE TABLE course_session_topic (
        session_id uuid NOT NULL,
        topic_code text NOT NULL,
        CONSTRAINT course_session_topic_pkey PRIMARY KEY (session_id, topic_code),
        CONSTRAINT course_session_topic_session_id_fkey FOREIGN KEY (session_id) REFERENCES course_session (id) ON DELETE CASCADE,
        CONSTRAINT course_session_topic_topic_code_fkey FOREIGN KEY (topic_code) REFERENCES topic (code) ON UPDATE CASCADE
      );

      CREATE TABLE booking (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        status text NOT NULL,
        waitlist_position integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        CONSTRAINT booking_pkey PRIMARY KEY (id),
        CONSTRAINT booking_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id) ON DELETE CASCADE,
        CONSTRAINT booking_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT booking_status_check CHECK (status IN ('booked', 'waitlisted', 'cancelled')),
        CONSTRAINT booking_waitlist_position_check CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL) AND waitlist_position >= 1),
        CONSTRAINT booking_cancelled_at_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        -- Positions are renumbered in one statement when someone leaves the waitlist, so the
        -- check waits for the commit. Booked and cancelled rows have no position (NULLs differ).
        CONSTRAINT booking_waitlist_position_key UNIQUE (course_id, waitlist_position) DEFERRABLE INITIALLY DEFERRED
      );
      -- One live booking per volunteer per course; a cancelled one may be booked again.
      CREATE UNIQUE INDEX booking_course_id_volunteer_id_key ON booking (course_id, volunteer_id) WHERE status <> 'cancelled';
      CREATE INDEX booking_volunteer_id_idx ON booking (volunteer_id);

      CREATE TABLE attendance (
        session_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        present boolean NOT NULL,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT attendance_pkey PRIMARY KEY (session_id, volunteer_id),
        CONSTRAINT attendance_session_id_fkey FOREIGN KEY (session_id) REFERENCES course_session (id) ON DELETE CASCADE,
        CONSTRAINT attendance_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE,
        CONSTRAINT attendance_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES staff_user (id)
      );
      CREATE INDEX attendance_volunteer_id_idx ON attendance (volunteer_id);

      -- Renewing the calendar link bumps the version, which kills every older feed token.
      ALTER TABLE volunteer ADD COLUMN calendar_version integer NOT NULL DEFAULT 0;

      CREATE TABLE calendar_feed (
        token_hash text NOT NULL,
        volunteer_id uuid NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calendar_feed_pkey PRIMARY KEY (token_hash),
        CONSTRAINT calendar_feed_volunteer_id_fkey FOREIGN KEY (volunteer_id) REFERENCES volunteer (id) ON DELETE CASCADE
      );
      CREATE INDEX calendar_feed_volunteer_id_idx ON calendar_feed (volunteer_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE calendar_feed;
      ALTER TABLE volunteer DROP COLUMN calendar_version;
      DROP TABLE attendance;
      DROP TABLE booking;
      DROP TABLE course_session_topic;
      DROP TABLE course_session;
      DROP TABLE course;
    `);
  }
}
