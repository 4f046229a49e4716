import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../common/errors';
import { Volunteer } from '../volunteers/volunteer.entity';
import { EmailNotifications } from '../notifications/email-notifications';
import { VolunteersService } from '../volunteers/volunteers.service';
import { Booking } from './booking.entity';
import { BookingsRepository } from './bookings.repository';
import { Course } from './course.entity';
import { type CourseProgress, CoursesRepository } from './courses.repository';

/**
 * Who books: the volunteer themself (portal link or application), or staff. Staff may
 * confirm a second course for someone who holds a seat on another (`confirmedSecond`).
 */
export type Booker =
  { kind: 'volunteer' } | { kind: 'staff'; actor: Actor; confirmedSecond?: boolean };

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
export class BookingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly volunteers: VolunteersService,
    private readonly courses: CoursesRepository,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsRepository,
    private readonly mail: EmailNotifications,
  ) {}

  async book(booker: Booker, courseId: string, volunteerId: string): Promise<BookingResult> {
    return this.uow.run((em) => this.bookIn(em, booker, courseId, volunteerId));
  }

  /**
   * Why an applicant of `branchId` cannot pick this course, or null if they can: the
   * same reasons `bookIn` gives a volunteer, asked before any person is looked at.
   */
  async applicantCourseProblem(courseId: string, branchId: string): Promise<string | null> {
    const course = await this.courses.findInScope(this.db.manager, courseId, null);
    if (!course) {
      return 'Kurset kan ikke længere vælges; vælg et andet, eller vælg senere. / The course can no longer be chosen; choose another, or choose later.';
    }
    if (course.cancelledAt) {
      return 'Kurset er aflyst; vælg et andet, eller vælg senere. / The course is cancelled; choose another, or choose later.';
    }
    if (course.branchId !== branchId) {
      return "Kurset hører til en anden lokalafdeling end den, der kontakter dig. Vælg kursets lokalafdeling ovenfor, eller vælg kurset senere. / The course belongs to another branch than the one that will contact you. Choose the course's branch above, or choose the course later.";
    }
    return notOpenToVolunteers(await this.courses.progress(courseId));
  }

  /** Books inside the caller's transaction (the application form books with its own). */
  async bookIn(
    em: EntityManager,
    booker: Booker,
    courseId: string,
    volunteerId: string,
  ): Promise<BookingResult> {
    // The application form books for a volunteer it has just inserted: a row no other
    // transaction can see yet, so locking the course after it cannot close a cycle.
    const course = await this.lockCourse(em, booker, courseId);
    const volunteer = await this.lockVolunteer(em, booker, volunteerId);
    if (volunteer.status !== 'active') {
      throw new InvalidTransitionError(
        `${volunteer.status === 'withdrawn' ? 'Ansøgningen er trukket tilbage' : 'Ansøgningen er afsluttet'}; der kan ikke tilmeldes kurser. / The application is ${volunteer.status}; no course can be booked.`,
        'volunteer_not_active',
      );
    }
    if (course.cancelledAt) {
      throw new ConflictError(
        'Kurset er aflyst; vælg et andet, eller vælg senere. / The course is cancelled; choose another, or choose later.',
        'course_cancelled',
      );
    }
    if (course.branchId !== volunteer.branchId) {
      throw new ConflictError(
        "Kurset hører til en anden lokalafdeling end den, der kontakter dig. Vælg kursets lokalafdeling ovenfor, eller vælg kurset senere. / The course belongs to another branch than the one that will contact you. Choose the course's branch above, or choose the course later.",
        'course_other_branch',
      );
    }
    const progress = await this.courses.progress(courseId, em);
    // Registering a course already held is the coordinator's; a volunteer books ahead.
    const closed = booker.kind === 'volunteer' ? notOpenToVolunteers(progress) : null;
    if (closed) {
      throw new ConflictError(closed, progress.started ? 'course_started' : 'course_not_open');
    }
    if (await this.bookings.findLive(em, courseId, volunteerId)) {
      throw new ConflictError(
        'Den frivillige er allerede på kurset. / The volunteer is already on this course.',
        'already_booked',
      );
    }
    const elsewhere = await this.bookings.unfinishedSeat(
      em,
      volunteerId,
      course.branchId,
      course.id,
    );
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
    const { booked, waitlisted } = await this.bookings.countByStatus(em, courseId);
    const seatFree = booked < course.capacity;
    const booking = await em.save(
      em.create(Booking, {
        courseId,
        volunteerId,
        status: seatFree ? 'booked' : 'waitlisted',
        waitlistPosition: seatFree ? null : waitlisted + 1,
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
      await this.mail.bookingMade(em, {
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
    await this.uow.run(async (em) => {
      const course = await this.lockCourse(em, booker, courseId);
      await this.lockVolunteer(em, booker, volunteerId);
      const booking = await this.bookings.findLive(em, courseId, volunteerId);
      if (!booking) {
        throw new NotFoundError('Booking');
      }
      // Once it has begun, a seat is part of the course's record; staff may still end it.
      // A waitlist place there leads nowhere (nobody is promoted), so it may always go.
      if (
        booker.kind === 'volunteer' &&
        booking.status === 'booked' &&
        (await this.courses.progress(courseId, em)).started
      ) {
        throw new ConflictError(
          'Kurset er begyndt, så du kan ikke længere afmelde dig. Kontakt din koordinator. / The course has started, so you can no longer cancel. Contact your coordinator.',
          'course_started',
        );
      }
      const promoted = await this.bookings.cancel(em, booking);
      if (promoted) {
        await this.mail.bookingPromoted(em, promoted);
      }
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
    return this.bookings.ownBookings(volunteerId);
  }

  /** The course that keeps a volunteer from booking another themself, or null. */
  unfinishedSeat(volunteer: Pick<Volunteer, 'id' | 'branchId'>) {
    return this.bookings.unfinishedSeat(this.db.manager, volunteer.id, volunteer.branchId, null);
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
}

/** Why a volunteer cannot book the course themself, or null: they book only ahead. */
function notOpenToVolunteers(progress: CourseProgress): string | null {
  if (progress.started) {
    return 'Kurset er allerede begyndt. / The course has already started.';
  }
  return progress.open
    ? null
    : 'Kurset har ingen kursusgange at tilmelde sig. / The course has no sessions to book.';
}
