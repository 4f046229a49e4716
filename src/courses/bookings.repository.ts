import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { BookingPromoted } from '../notifications/email-notifications';
import { Booking } from './booking.entity';
import { Course } from './course.entity';
import { courseProgress } from './courses.repository';

/** The other unfinished course a volunteer holds a seat on. */
export interface SeatElsewhere {
  courseId: string;
  title: string;
}

/**
 * Seats and waitlist places as rows. Every write here expects its course row locked by
 * the caller (src/database/locks.ts), which is what makes counting and taking a seat one
 * step. It has a module of its own because closing an application (volunteers) cancels
 * bookings too, and the volunteers module cannot see the courses module.
 */
@Injectable()
export class BookingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findLive(em: EntityManager, courseId: string, volunteerId: string) {
    return em.findOne(Booking, {
      where: [
        { courseId, volunteerId, status: 'booked' },
        { courseId, volunteerId, status: 'waitlisted' },
      ],
    });
  }

  async countByStatus(
    em: EntityManager,
    courseId: string,
  ): Promise<{ booked: number; waitlisted: number }> {
    const [{ booked, waitlisted }] = await em.query<{ booked: string; waitlisted: string }[]>(
      `SELECT count(*) FILTER (WHERE status = 'booked') AS booked,
              count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
         FROM booking WHERE course_id = $1`,
      [courseId],
    );
    return { booked: Number(booked), waitlisted: Number(waitlisted) };
  }

  async waitlistPosition(em: EntityManager, bookingId: string): Promise<number | null> {
    const [row] = await em.query<{ position: number | null }[]>(
      'SELECT waitlist_position AS position FROM booking WHERE id = $1',
      [bookingId],
    );
    return row?.position ?? null;
  }

  /** Who holds a seat on the course (not the waitlist), in a stable order. */
  async bookedVolunteerIds(em: EntityManager, courseId: string): Promise<string[]> {
    const rows = await em.query<{ volunteer_id: string }[]>(
      `SELECT volunteer_id FROM booking WHERE course_id = $1 AND status = 'booked' ORDER BY volunteer_id`,
      [courseId],
    );
    return rows.map((r) => r.volunteer_id);
  }

  /**
   * Which of these volunteers hold a seat on some course of the branch: who may attend
   * a session of it (a missed session is made up in another course without booking it).
   */
  async seatedInBranch(em: EntityManager, volunteerIds: string[], branchId: string) {
    const rows = await em.query<{ volunteer_id: string }[]>(
      `SELECT DISTINCT k.volunteer_id FROM booking k JOIN course c ON c.id = k.course_id
        WHERE k.volunteer_id = ANY($1) AND k.status = 'booked' AND c.branch_id = $2`,
      [volunteerIds, branchId],
    );
    return rows.map((r) => r.volunteer_id);
  }

  /**
   * The volunteer's live bookings, for their page and /api/v1/me, with whether each
   * course has started (a seat there can no longer be given up by the volunteer).
   */
  /**
   * The volunteer's live bookings, with where each course stands and the hours they
   * attended on it (live sessions marked present, counted as volunteer_course_progress
   * counts them), so the personal page can show "Gennemført" instead of a cancel button.
   */
  async ownBookings(volunteerId: string) {
    const rows = await this.db.query<
      {
        courseId: string;
        status: 'booked' | 'waitlisted';
        position: number | null;
        started: boolean;
        ended: boolean;
        hoursAttended: string;
      }[]
    >(
      `SELECT k.course_id AS "courseId", k.status, k.waitlist_position AS position, p.started,
              p.ended,
              (SELECT coalesce(round(sum(extract(epoch FROM s.ends_at - s.starts_at) / 3600), 2), 0)
                 FROM attendance a
                 JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
                WHERE a.volunteer_id = k.volunteer_id AND a.present
                  AND s.course_id = k.course_id) AS "hoursAttended"
         FROM booking k
         JOIN course_progress p ON p.course_id = k.course_id
        WHERE k.volunteer_id = $1 AND k.status <> 'cancelled'
        ORDER BY k.created_at`,
      [volunteerId],
    );
    // numeric arrives as text from the driver.
    return rows.map((r) => ({ ...r, hoursAttended: Number(r.hoursAttended) }));
  }

  /**
   * What closing the application would cancel, for the confirmation page: each live
   * booking on a course that has not ended (an ended course's seat is a record and stays),
   * with how many wait behind a seat and whether the course has started (nobody moves up
   * into a started course).
   */
  closingPreview(em: EntityManager, volunteerId: string) {
    return em.query<
      {
        courseId: string;
        title: string;
        status: 'booked' | 'waitlisted';
        waiting: number;
        started: boolean;
      }[]
    >(
      `SELECT k.course_id AS "courseId", c.title, k.status, p.started,
              (SELECT count(*)::int FROM booking w
                WHERE w.course_id = k.course_id AND w.status = 'waitlisted') AS waiting
         FROM booking k
         JOIN course c ON c.id = k.course_id
         JOIN course_progress p ON p.course_id = k.course_id
        WHERE k.volunteer_id = $1 AND k.status <> 'cancelled' AND NOT p.ended
        ORDER BY k.created_at`,
      [volunteerId],
    );
  }

  /**
   * Frees the seat or the waitlist place. A freed seat goes to the first on the
   * waitlist, and everyone behind the leaver moves up one, so positions stay 1..n;
   * once the course has started, nobody is moved into it and the seat stays free.
   * Every cancellation (staff, the volunteer, a withdrawal or decline) comes through
   * here. Call with the course row locked. Returns whoever took the freed seat.
   */
  async cancel(em: EntityManager, booking: Booking): Promise<BookingPromoted | null> {
    await em.update(
      Booking,
      { id: booking.id },
      { status: 'cancelled', waitlistPosition: null, cancelledAt: new Date() },
    );
    if (booking.status !== 'booked') {
      await this.closeGapAfter(em, booking.courseId, booking.waitlistPosition!);
      return null;
    }
    if ((await courseProgress(em, booking.courseId)).started) {
      return null;
    }
    const [promoted] = await this.promoteFromWaitlist(em, booking.courseId, 1);
    return promoted ?? null;
  }

  /**
   * Gives the seats a raised capacity freed to the first on the waitlist, in order, and
   * moves the rest up. Never into a course that has started (as in `cancel`). Call with
   * the course row locked. Returns whoever took a seat.
   */
  async fillFreeSeats(
    em: EntityManager,
    courseId: string,
    capacity: number,
  ): Promise<BookingPromoted[]> {
    if ((await courseProgress(em, courseId)).started) {
      return [];
    }
    const { booked } = await this.countByStatus(em, courseId);
    const free = capacity - booked;
    if (free <= 0) {
      return [];
    }
    return (await this.promoteFromWaitlist(em, courseId, free)).sort((a, b) =>
      a.volunteerId.localeCompare(b.volunteerId),
    );
  }

  /**
   * The first `seats` on the waitlist take a seat and everyone behind them moves up, so
   * positions stay 1..n. Returns whoever took a seat.
   */
  private async promoteFromWaitlist(
    em: EntityManager,
    courseId: string,
    seats: number,
  ): Promise<BookingPromoted[]> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [promoted] = await em.query<[{ id: string; volunteer_id: string }[], number]>(
      `UPDATE booking SET status = 'booked', waitlist_position = NULL
        WHERE course_id = $1 AND status = 'waitlisted' AND waitlist_position <= $2
        RETURNING id, volunteer_id`,
      [courseId, seats],
    );
    if (promoted.length > 0) {
      await em.query(
        `UPDATE booking SET waitlist_position = waitlist_position - $2
          WHERE course_id = $1 AND status = 'waitlisted'`,
        [courseId, promoted.length],
      );
    }
    return promoted.map((p) => ({ bookingId: p.id, courseId, volunteerId: p.volunteer_id }));
  }

  /**
   * Releases every seat and waitlist place of a cancelled course; nobody is promoted.
   * Call with the course row locked. Returns who held them, for the mail.
   */
  async releaseAll(
    em: EntityManager,
    courseId: string,
  ): Promise<{ volunteerId: string; status: 'booked' | 'waitlisted' }[]> {
    const [released] = await em.query<
      [{ volunteer_id: string; status: 'booked' | 'waitlisted' }[], number]
    >(
      `UPDATE booking k SET status = 'cancelled', waitlist_position = NULL, cancelled_at = now()
         FROM booking was
        WHERE k.id = was.id AND k.course_id = $1 AND was.status <> 'cancelled'
        RETURNING k.volunteer_id, was.status`,
      [courseId],
    );
    return released
      .map((r) => ({ volunteerId: r.volunteer_id, status: r.status }))
      .sort((a, b) => a.volunteerId.localeCompare(b.volunteerId));
  }

  /**
   * Cancels every seat and waitlist place of a volunteer whose application closed, on
   * courses that have not ended: a seat on an ended course is the record of a course
   * taken, and stays. Returns whoever took a freed seat.
   */
  async cancelAllOf(em: EntityManager, volunteerId: string): Promise<BookingPromoted[]> {
    const live = await em.query<{ id: string }[]>(
      `SELECT k.id FROM booking k
         JOIN course_progress p ON p.course_id = k.course_id
        WHERE k.volunteer_id = $1 AND k.status IN ('booked', 'waitlisted') AND NOT p.ended`,
      [volunteerId],
    );
    const bookings = await em.find(Booking, {
      where: { id: In(live.map((b) => b.id)) },
      order: { courseId: 'ASC' },
    });
    const promotions: BookingPromoted[] = [];
    for (const booking of bookings) {
      // Already held when the caller followed locks.ts (lockCoursesBookedBy); this only
      // matters for a booking made in between, and inTransaction retries if that deadlocks.
      await em.findOne(Course, {
        where: { id: booking.courseId },
        lock: { mode: 'pessimistic_write' },
      });
      const promoted = await this.cancel(em, booking);
      if (promoted) {
        promotions.push(promoted);
      }
    }
    return promotions;
  }

  /**
   * A seat (not a waitlist place) on a course of the branch, other than `exceptCourseId`,
   * that is neither cancelled nor ended and still has live sessions: the volunteer is
   * being trained there, so a second course needs staff to confirm it.
   */
  async unfinishedSeat(
    em: EntityManager,
    volunteerId: string,
    branchId: string,
    exceptCourseId: string | null,
  ): Promise<SeatElsewhere | null> {
    const [row] = await em.query<SeatElsewhere[]>(
      `SELECT c.id AS "courseId", c.title
         FROM booking k
         JOIN course c ON c.id = k.course_id
         JOIN course_progress p ON p.course_id = c.id
        WHERE k.volunteer_id = $1 AND k.status = 'booked'
          AND c.branch_id = $2 AND c.id IS DISTINCT FROM $3::uuid AND c.cancelled_at IS NULL
          AND NOT p.ended AND p.first_starts_at IS NOT NULL
        ORDER BY c.id
        LIMIT 1`,
      [volunteerId, branchId, exceptCourseId],
    );
    return row ?? null;
  }

  private async closeGapAfter(em: EntityManager, courseId: string, position: number) {
    await em.query(
      `UPDATE booking SET waitlist_position = waitlist_position - 1
        WHERE course_id = $1 AND status = 'waitlisted' AND waitlist_position > $2`,
      [courseId, position],
    );
  }
}

@Module({ providers: [BookingsRepository], exports: [BookingsRepository] })
export class BookingsRepositoryModule {}
