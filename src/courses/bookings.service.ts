import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../common/errors';
import { PendingEvents } from '../common/events';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { Booking } from './booking.entity';
import { Course } from './course.entity';
import { CoursesRepository } from './courses.repository';

/**
 * Who books: the volunteer themself (portal link or application), or staff. Staff may
 * confirm a second course for someone who holds a seat on another (`confirmedSecond`).
 */
export type Booker =
  | { kind: 'volunteer' }
  | { kind: 'staff'; actor: Actor; confirmedSecond?: boolean };

/** The other unfinished course a volunteer holds a seat on. */
interface SeatElsewhere {
  courseId: string;
  title: string;
}

export interface BookingResult {
  status: 'booked' | 'waitlisted';
  position: number | null;
}

/**
 * Seats and the waitlist. Every change locks the course row and then the volunteer row,
 * in the order of src/database/locks.ts (a cancellation promotes and writes for another
 * volunteer while holding the course); with the course locked, counting the booked
 * seats and taking one is a single step, so a course never has more booked volunteers
 * than seats whatever arrives at once.
 */
@Injectable()
export class BookingsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly volunteers: VolunteersService,
    private readonly courses: CoursesRepository,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    // A withdrawn or declined volunteer gives up their seats and waitlist places.
    this.volunteers.addClosingStep((em, volunteer, events) =>
      this.cancelAllIn(em, volunteer.id, events),
    );
  }

  async book(booker: Booker, courseId: string, volunteerId: string): Promise<BookingResult> {
    return this.uow.run((em, events) => this.bookIn(em, booker, courseId, volunteerId, events));
  }

  /**
   * Why an applicant of `branchId` cannot pick this course, or null if they can: the
   * same reasons `bookIn` gives a volunteer, asked before any person is looked at.
   */
  async applicantCourseProblem(courseId: string, branchId: string): Promise<string | null> {
    const [course] = await this.db.query<{ branch_id: string; cancelled: boolean }[]>(
      `SELECT c.branch_id, c.cancelled_at IS NOT NULL AS cancelled FROM course c WHERE c.id = $1`,
      [courseId],
    );
    if (!course) {
      return 'no course open for booking has this id';
    }
    if (course.cancelled) {
      return 'The course is cancelled';
    }
    if (course.branch_id !== branchId) {
      return "The course belongs to another branch than the volunteer's";
    }
    return (await this.courses.progress(courseId)).started
      ? 'The course has already started'
      : null;
  }

  /** Books inside the caller's transaction (the application form books with its own). */
  async bookIn(
    em: EntityManager,
    booker: Booker,
    courseId: string,
    volunteerId: string,
    events: PendingEvents,
  ): Promise<BookingResult> {
    // The application form books for a volunteer it has just inserted: a row no other
    // transaction can see yet, so locking the course after it cannot close a cycle.
    const course = await this.lockCourse(em, booker, courseId);
    const volunteer = await this.lockVolunteer(em, booker, volunteerId);
    if (volunteer.status !== 'active') {
      throw new InvalidTransitionError(
        `The application is ${volunteer.status}; no course can be booked`,
        'volunteer_not_active',
      );
    }
    if (course.cancelledAt) {
      throw new ConflictError('The course is cancelled', 'course_cancelled');
    }
    if (course.branchId !== volunteer.branchId) {
      throw new ConflictError(
        "The course belongs to another branch than the volunteer's",
        'course_other_branch',
      );
    }
    const progress = await this.courses.progress(courseId, em);
    // Registering a course already held is the coordinator's; a volunteer books ahead.
    if (booker.kind === 'volunteer' && progress.started) {
      throw new ConflictError('The course has already started', 'course_started');
    }
    if (await this.liveBooking(em, courseId, volunteerId)) {
      throw new ConflictError('The volunteer is already on this course', 'already_booked');
    }
    const elsewhere = await this.seatOnAnotherUnfinishedCourse(em, course, volunteerId);
    if (elsewhere && booker.kind === 'volunteer') {
      throw new ConflictError(
        `Du har allerede plads på kurset «${elsewhere.title}». Afmeld det først, hvis du vil skifte kursus. / You already have a seat on the course «${elsewhere.title}». Cancel it first if you want to change course.`,
        'booked_on_another_course',
      );
    }
    if (elsewhere && booker.kind === 'staff' && !booker.confirmedSecond) {
      throw new ConflictError(
        `Den frivillige har allerede plads på kurset «${elsewhere.title}», som ikke er slut. Bekræft, hvis personen skal have plads på to kurser. / The volunteer already has a seat on the course «${elsewhere.title}», which has not ended. Confirm if they are to have seats on two courses.`,
        'booked_on_another_course',
      );
    }
    const [{ booked, waitlisted }] = await em.query<{ booked: string; waitlisted: string }[]>(
      `SELECT count(*) FILTER (WHERE status = 'booked') AS booked,
              count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
         FROM booking WHERE course_id = $1`,
      [courseId],
    );
    const seatFree = Number(booked) < course.capacity;
    const booking = await em.save(
      em.create(Booking, {
        courseId,
        volunteerId,
        status: seatFree ? 'booked' : 'waitlisted',
        waitlistPosition: seatFree ? null : Number(waitlisted) + 1,
        cancelledAt: null,
      }),
    );
    await this.audit.record(em, booker.kind === 'staff' ? booker.actor : null, {
      action: `booking.${booking.status}`,
      branchId: course.branchId,
      volunteerId,
      details: { courseId, position: booking.waitlistPosition },
    });
    // A booking registered after the course ended is a record, not news: no mail.
    if (!progress.ended) {
      events.add('booking.created', {
        bookingId: booking.id,
        courseId,
        volunteerId,
        status: booking.status as 'booked' | 'waitlisted',
      });
    }
    return {
      status: booking.status as 'booked' | 'waitlisted',
      position: booking.waitlistPosition,
    };
  }

  async cancel(booker: Booker, courseId: string, volunteerId: string): Promise<void> {
    await this.uow.run(async (em, events) => {
      const course = await this.lockCourse(em, booker, courseId);
      await this.lockVolunteer(em, booker, volunteerId);
      const booking = await this.liveBooking(em, courseId, volunteerId);
      if (!booking) {
        throw new NotFoundError('Booking');
      }
      // Once it has begun, the booking is part of the course's record; staff may still end it.
      if (booker.kind === 'volunteer' && (await this.courses.progress(courseId, em)).started) {
        throw new ConflictError(
          'Kurset er begyndt, så du kan ikke længere afmelde dig. Kontakt din koordinator. / The course has started, so you can no longer cancel. Contact your coordinator.',
          'course_started',
        );
      }
      await this.cancelBooking(em, booking, events);
      await this.audit.record(em, booker.kind === 'staff' ? booker.actor : null, {
        action: 'booking.cancelled',
        branchId: course.branchId,
        volunteerId,
        details: { courseId },
      });
    });
  }

  /** The volunteer's live bookings, for their page and /api/v1/me. */
  ownBookings(volunteerId: string) {
    return this.db.query<
      { courseId: string; status: 'booked' | 'waitlisted'; position: number | null }[]
    >(
      `SELECT k.course_id AS "courseId", k.status, k.waitlist_position AS position
         FROM booking k
         JOIN course c ON c.id = k.course_id
        WHERE k.volunteer_id = $1 AND k.status <> 'cancelled'
        ORDER BY k.created_at`,
      [volunteerId],
    );
  }

  private liveBooking(em: EntityManager, courseId: string, volunteerId: string) {
    return em.findOne(Booking, {
      where: [
        { courseId, volunteerId, status: 'booked' },
        { courseId, volunteerId, status: 'waitlisted' },
      ],
    });
  }

  private async cancelAllIn(em: EntityManager, volunteerId: string, events: PendingEvents) {
    const bookings = await em.find(Booking, {
      where: [
        { volunteerId, status: 'booked' },
        { volunteerId, status: 'waitlisted' },
      ],
      order: { courseId: 'ASC' },
    });
    for (const booking of bookings) {
      // Already held when the caller followed locks.ts (lockCoursesBookedBy); this only
      // matters for a booking made in between, and UnitOfWork retries if that deadlocks.
      await em.findOne(Course, {
        where: { id: booking.courseId },
        lock: { mode: 'pessimistic_write' },
      });
      await this.cancelBooking(em, booking, events);
    }
  }

  /**
   * Frees the seat or the waitlist place. A freed seat goes to the first on the
   * waitlist, and everyone behind the leaver moves up one, so positions stay 1..n;
   * once the course has started, nobody is moved into it and the seat stays free.
   * Every cancellation (staff, the volunteer, a withdrawal or decline) comes through
   * here. Call with the course row locked.
   */
  private async cancelBooking(em: EntityManager, booking: Booking, events: PendingEvents) {
    await em.update(
      Booking,
      { id: booking.id },
      { status: 'cancelled', waitlistPosition: null, cancelledAt: new Date() },
    );
    if (booking.status === 'booked' && (await this.courses.progress(booking.courseId, em)).started) {
      return;
    }
    if (booking.status === 'booked') {
      // TypeORM answers an UPDATE with [rows, affected].
      const [[promoted]] = await em.query<[{ id: string; volunteer_id: string }[], number]>(
        `UPDATE booking SET status = 'booked', waitlist_position = NULL
          WHERE course_id = $1 AND status = 'waitlisted' AND waitlist_position = 1
          RETURNING id, volunteer_id`,
        [booking.courseId],
      );
      if (promoted) {
        events.add('booking.promoted', {
          bookingId: promoted.id,
          courseId: booking.courseId,
          volunteerId: promoted.volunteer_id,
        });
      }
      await this.closeGapAfter(em, booking.courseId, 1);
    } else {
      await this.closeGapAfter(em, booking.courseId, booking.waitlistPosition!);
    }
  }

  private async closeGapAfter(em: EntityManager, courseId: string, position: number) {
    await em.query(
      `UPDATE booking SET waitlist_position = waitlist_position - 1
        WHERE course_id = $1 AND status = 'waitlisted' AND waitlist_position > $2`,
      [courseId, position],
    );
  }

  private async lockVolunteer(
    em: EntityManager,
    booker: Booker,
    volunteerId: string,
  ): Promise<Volunteer> {
    if (booker.kind === 'staff') {
      return this.volunteers.requireInScope(em, booker.actor, volunteerId, true);
    }
    return em.findOneOrFail(Volunteer, {
      where: { id: volunteerId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private async lockCourse(em: EntityManager, booker: Booker, courseId: string): Promise<Course> {
    const scope = booker.kind === 'staff' ? branchScopeOf(booker.actor) : null;
    const course = await em.findOne(Course, {
      where: scope === null ? { id: courseId } : { id: courseId, branchId: scope },
      lock: { mode: 'pessimistic_write' },
    });
    if (!course) {
      throw new NotFoundError('Course');
    }
    return course;
  }

  /**
   * A seat (not a waitlist place) on another course of the same branch that is neither
   * cancelled nor ended: the volunteer is already being trained there.
   */
  private async seatOnAnotherUnfinishedCourse(
    em: EntityManager,
    course: Course,
    volunteerId: string,
  ): Promise<SeatElsewhere | null> {
    const [row] = await em.query<SeatElsewhere[]>(
      `SELECT c.id AS "courseId", c.title
         FROM booking k
         JOIN course c ON c.id = k.course_id
        WHERE k.volunteer_id = $1 AND k.status = 'booked'
          AND c.branch_id = $2 AND c.id <> $3 AND c.cancelled_at IS NULL
          -- Not ended, as CoursesRepository.progress has it.
          AND NOT coalesce((SELECT max(s.ends_at) <= now() FROM course_session s
                             WHERE s.course_id = c.id AND s.cancelled_at IS NULL), false)
        ORDER BY c.id
        LIMIT 1`,
      [volunteerId, course.branchId, course.id],
    );
    return row ?? null;
  }
}
