import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import { BranchesService } from '../branches/branches.service';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import {
  copenhagenInstant,
  Form,
  type FormBody,
  int,
  list,
  type PageForm,
  parseForm,
  text,
  ticked,
  toLocalInput,
} from '../common/pages/forms';
import { localPath } from '../common/pages/web';
import { ConflictError, InvalidInputError } from '../common/errors';
import { UuidParam } from '../common/validation';
import { AttendanceService } from './attendance.service';
import { BookingsService } from './bookings.service';
import { toCourseView, toSessionView } from './course.view';
import { CoursesService } from './courses.service';
import { CurriculumService } from './curriculum.service';
import { OwnBookingDto } from './dto/booking.dto';
import { CreateCourseDto } from './dto/create-course.dto';
import { RecordAttendanceDto } from './dto/record-attendance.dto';
import { UpdateCourseDto } from './dto/update-course.dto';
import { UpdateSessionDto } from './dto/update-session.dto';

/** Empty session rows on the new-course form; a course rarely has more. */
const SESSION_ROWS = 6;

/** Courses, their sessions, participants and attendance, for coordinators. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff')
export class CoursesPagesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly bookings: BookingsService,
    private readonly attendance: AttendanceService,
    private readonly curriculum: CurriculumService,
    private readonly branches: BranchesService,
  ) {}

  @Get('courses')
  @Render('courses/list')
  async list(@CurrentActor() actor: Actor) {
    const courses = await this.courses.listInScope(actor);
    return {
      title: ['Kurser', 'Courses'],
      courses: courses.map((c) => toCourseView(c.summary, c.sessions)),
    };
  }

  @Get('courses/new')
  @Render('courses/new')
  async newCourse(@CurrentActor() actor: Actor) {
    const scope = branchScopeOf(actor);
    const branches = (await this.branches.list()).filter((b) => scope === null || b.id === scope);
    const { topics } = await this.curriculum.get();
    return {
      title: ['Nyt kursus', 'New course'],
      branches,
      topics,
      rows: Array.from({ length: SESSION_ROWS }, (_, i) => ({ i })),
    };
  }

  @Post('courses')
  @Redirect()
  create(@CurrentActor() actor: Actor, @Form() form: PageForm) {
    const done = form.t('Kurset er oprettet.', 'The course was created.');
    return form.submit({ name: 'course', back: '/staff/courses/new', done }, async () => {
      const { branchCode, title, capacity, sessions } = form.body;
      const rows = Array.isArray(sessions) ? (sessions as FormBody[]) : [];
      const dto = await parseForm(CreateCourseDto, {
        branchCode,
        title,
        capacity: int(capacity),
        // Rows left blank are not sessions.
        sessions: rows
          .filter((r) => text(r.startsAt) || text(r.endsAt) || text(r.location))
          .map((r) => ({
            startsAt: copenhagenInstant(r.startsAt),
            endsAt: copenhagenInstant(r.endsAt),
            location: r.location,
            topics: list(r.topics),
          })),
      });
      const course = await this.courses.create(actor, dto, {
        confirmedAlreadyHeld: ticked(form.body.alreadyHeld),
      });
      return `/staff/courses/${course.summary.id}`;
    });
  }

  @Get('courses/:id')
  @Render('courses/show')
  async show(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const course = await this.courses.get(actor, id);
    const participants = await this.courses.participants(actor, id);
    const { topics } = await this.curriculum.get();
    const now = new Date();
    return {
      title: course.summary.title,
      topics,
      course: toCourseView(course.summary, course.sessions),
      started: course.sessions.some((s) => !s.cancelledAt && s.startsAt <= now),
      booked: participants.filter((p) => p.status === 'booked'),
      waitlisted: participants.filter((p) => p.status === 'waitlisted'),
    };
  }

  /** "Ret kursus": title, capacity and the default location of new sessions. */
  @Post('courses/:id')
  @Redirect()
  update(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/courses/${id}`;
    const done = form.t('Kurset er ændret.', 'The course was changed.');
    return form.submit({ name: 'courseEdit', back, done }, async () => {
      const { title, capacity, location } = form.body;
      const dto = await parseForm(UpdateCourseDto, {
        title,
        capacity: int(capacity),
        location: text(location),
      });
      await this.courses.update(actor, id, dto);
      return back;
    });
  }

  /** The confirmation step before a course is cancelled: who is told and what is released. */
  @Get('courses/:id/cancel')
  @Render('courses/cancel')
  async confirmCancel(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const course = await this.courses.get(actor, id);
    const now = new Date();
    return {
      title: course.summary.title,
      course: toCourseView(course.summary, course.sessions),
      started: course.sessions.some((s) => !s.cancelledAt && s.startsAt <= now),
      booked: course.summary.booked,
    };
  }

  @Post('courses/:id/cancel')
  @Redirect()
  cancelCourse(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/courses/${id}`;
    const done = form.t(
      'Kurset er aflyst, og deltagerne har fået besked.',
      'The course is cancelled and the participants have been told.',
    );
    return form.submit({ name: 'courseCancel', back, done }, async () => {
      await this.courses.cancel(actor, id);
      return back;
    });
  }

  @Post('sessions/:id/cancel')
  @Redirect()
  cancelSession(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/sessions/${id}`;
    const done = form.t(
      'Kursusgangen er aflyst, og deltagerne har fået besked.',
      'The session is cancelled and the participants have been told.',
    );
    return form.submit({ name: 'sessionCancel', back, done }, async () => {
      await this.courses.cancelSession(actor, id);
      return back;
    });
  }

  @Post('volunteers/:id/bookings')
  @Redirect()
  book(@CurrentActor() actor: Actor, @UuidParam() volunteerId: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${volunteerId}`;
    return form.submit({ name: 'booking', back }, async () => {
      const { courseId } = await parseForm(OwnBookingDto, { courseId: form.body.courseId });
      const booker = { kind: 'staff' as const, actor, confirmedSecond: ticked(form.body.second) };
      const result = await this.bookings.book(booker, courseId, volunteerId).catch(askToConfirm);
      form.flash(
        result.status === 'booked'
          ? form.t('Tilmeldt kurset.', 'Booked on the course.')
          : form.t(
              `Kurset er fuldt: nr. ${result.position} på ventelisten.`,
              `The course is full: number ${result.position} on the waiting list.`,
            ),
      );
      return back;
    });
  }

  @Post('courses/:id/bookings/:volunteerId/cancel')
  @Redirect()
  cancel(
    @CurrentActor() actor: Actor,
    @UuidParam() courseId: string,
    @UuidParam('volunteerId') volunteerId: string,
    @Form() form: PageForm,
  ) {
    const back = localPath(form.body.back, `/staff/courses/${courseId}`);
    const done = form.t('Tilmeldingen er annulleret.', 'The booking is cancelled.');
    return form.submit({ name: 'booking', back, done }, async () => {
      await this.bookings.cancel({ kind: 'staff', actor }, courseId, volunteerId);
      return back;
    });
  }

  /** A session: change it, and take attendance as one form with a box per participant. */
  @Get('sessions/:id')
  @Render('courses/session')
  async session(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { course, records } = await this.attendance.forSession(actor, id);
    const described = await this.courses.get(actor, course.id);
    const session = described.sessions.find((s) => s.id === id)!;
    const participants = await this.courses.participants(actor, course.id);
    const { topics } = await this.curriculum.get();
    return {
      title: course.title,
      course: { id: course.id, title: course.title },
      session: {
        ...toSessionView(session),
        startsAtInput: toLocalInput(session.startsAt),
        endsAtInput: toLocalInput(session.endsAt),
        started: session.startsAt <= new Date(),
      },
      topics,
      people: participants
        .filter((p) => p.status === 'booked')
        .map((p) => ({
          ...p,
          present: records.some((r) => r.volunteerId === p.volunteerId && r.present),
        })),
    };
  }

  @Post('sessions/:id')
  @Redirect()
  updateSession(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/sessions/${id}`;
    const done = form.t('Kursusgangen er ændret.', 'The session was changed.');
    return form.submit({ name: 'session', back, done }, async () => {
      const { startsAt, endsAt, location, topics } = form.body;
      const dto = await parseForm(UpdateSessionDto, {
        startsAt: copenhagenInstant(startsAt),
        endsAt: copenhagenInstant(endsAt),
        location,
        topics: list(topics),
      });
      await this.courses.updateSession(actor, id, dto);
      return back;
    });
  }

  /** One box per booked participant: ticked is present, unticked absent. */
  @Post('sessions/:id/attendance')
  @Redirect()
  recordAttendance(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/sessions/${id}`;
    const done = form.t('Fremmødet er gemt.', 'Attendance is saved.');
    return form.submit({ name: 'attendance', back, done }, async () => {
      const present = list(form.body.present);
      const dto = await parseForm(RecordAttendanceDto, {
        records: list(form.body.participants).map((volunteerId) => ({
          volunteerId,
          present: present.includes(volunteerId),
        })),
      });
      await this.attendance.record(actor, id, dto);
      return back;
    });
  }
}

/**
 * The API takes `second: true` up front; the page asks: the conflict becomes a question
 * beside the box that confirms it.
 */
function askToConfirm(error: unknown): never {
  if (error instanceof ConflictError && error.code === 'booked_on_another_course') {
    throw new InvalidInputError([{ field: 'second', code: error.code, message: error.message }]);
  }
  throw error;
}
