import { Controller, Get, Post, Query, Redirect, Render, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ExportFormatQuery } from '../common/export/dto/export-format.query';
import { sendExport } from '../common/export/spreadsheet';
import { DateTime } from 'luxon';
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
import { EvaluationResults } from '../evaluation/evaluation-results';
import { TIME_ZONE } from '../common/dates';
import { ConflictError, InvalidInputError } from '../common/errors';
import { UuidParam } from '../common/validation';
import { AttendanceService } from './attendance.service';
import { BookingsService } from './bookings.service';
import { presentAt, toCourseView, toSessionView, withTrainers } from './course.view';
import type { SessionRow } from './courses.repository';
import { CoursesService } from './courses.service';
import { CurriculumService } from './curriculum.service';
import { AddSessionDto } from './dto/add-session.dto';
import { OwnBookingDto } from './dto/booking.dto';
import { CourseAttendanceDto } from './dto/course-attendance.dto';
import { MakeUpDto } from './dto/make-up.dto';
import { CreateCourseDto } from './dto/create-course.dto';
import { RecordAttendanceDto } from './dto/record-attendance.dto';
import { UpdateCourseDto } from './dto/update-course.dto';
import { UpdateSessionDto } from './dto/update-session.dto';
import { MaterialsService } from '../materials/materials.service';

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
    private readonly materials: MaterialsService,
    private readonly evaluation: EvaluationResults,
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

  /** "Mine kursusgange": the sessions the signed-in user teaches, each linking its register. */
  @Get('my-sessions')
  @Render('courses/my-sessions')
  async mySessions(@CurrentActor() actor: Actor) {
    return {
      title: ['Mine kursusgange', 'My sessions'],
      sessions: await this.courses.sessionsTaughtBy(actor),
    };
  }

  /** The evaluations of a year's courses (the branch's; an admin's: all). */
  @Get('evaluations')
  @Render('courses/evaluations')
  async evaluations(@CurrentActor() actor: Actor, @Query('year') yearParam: string | undefined) {
    const thisYear = DateTime.now().setZone(TIME_ZONE).year;
    const asked = Number(yearParam);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear;
    return {
      title: ['Evalueringer', 'Evaluations'],
      year,
      previousYear: year - 1,
      nextYear: year < thisYear ? year + 1 : null,
      courses: await this.evaluation.ofYear(year, branchScopeOf(actor)),
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
      trainers: await this.courses.trainerChoices(actor),
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
            trainerUserId: text(r.trainerUserId),
            trainerName: text(r.trainerName),
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
      course: withTrainers(toCourseView(course.summary, course.sessions), course.sessions),
      trainers: await this.courses.trainerChoices(actor, course.summary.branchId),
      started: course.sessions.some((s) => !s.cancelledAt && s.startsAt <= now),
      booked: participants.filter((p) => p.status === 'booked'),
      waitlisted: participants.filter((p) => p.status === 'waitlisted'),
      // The same figures as GET /api/v1/courses/{id}/evaluation; the course is in scope above.
      evaluation: await this.evaluation.summary([id]),
    };
  }

  /** "Tilføj kursusgang": the location is filled in with the course's default. */
  @Post('courses/:id/sessions')
  @Redirect()
  addSession(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/courses/${id}`;
    const done = form.t('Kursusgangen er tilføjet.', 'The session was added.');
    return form.submit({ name: 'sessionAdd', back, done }, async () => {
      const { startsAt, endsAt, location, topics } = form.body;
      const dto = await parseForm(AddSessionDto, {
        startsAt: copenhagenInstant(startsAt),
        endsAt: copenhagenInstant(endsAt),
        location,
        topics: list(topics),
        trainerUserId: text(form.body.trainerUserId),
        trainerName: text(form.body.trainerName),
      });
      await this.courses.addSession(actor, id, dto);
      return back;
    });
  }

  /**
   * The attendance register of the whole course: a row per person, a column per live
   * session; only sessions that have started can be filled in.
   */
  @Get('courses/:id/attendance')
  @Render('courses/attendance')
  async attendanceGrid(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const grid = await this.attendance.grid(actor, id);
    const candidates = await this.attendance.makeUpCandidates(actor, id);
    const sessions = grid.sessions.map((s) => ({ ...s, ...dayLabels(s) }));
    return {
      title: grid.course.title,
      course: { id: grid.course.id, title: grid.course.title },
      sessions,
      startedSessions: sessions.filter((s) => s.started),
      anyStarted: sessions.some((s) => s.started),
      rows: grid.people.map((p) => ({
        ...p,
        cells: sessions.map((s) => {
          const present = presentAt(grid.records, s.id, p.volunteerId);
          return {
            name: cellName(s.id, p.volunteerId),
            sessionId: s.id,
            started: s.started,
            dayDa: s.dayDa,
            dayEn: s.dayEn,
            value: present === null ? '' : present ? 'present' : 'absent',
          };
        }),
      })),
      candidates,
    };
  }

  /**
   * "Gem" saves every cell that can be filled in; "Alle mødte" (a submit button named
   * for its session, so it works without script) saves them too, with its column present.
   */
  @Post('courses/:id/attendance')
  @Redirect()
  recordAttendanceGrid(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/courses/${id}/attendance`;
    const done = form.t('Fremmødet er gemt.', 'Attendance is saved.');
    return form.submit({ name: 'attendance', back, done }, async () => {
      const allPresent = text(form.body.allPresent);
      const records = Object.entries(form.body).flatMap(([key, value]) => {
        const cell = CELL_NAME.exec(key);
        if (!cell) {
          return [];
        }
        const [, sessionId, volunteerId] = cell;
        const chosen = allPresent === sessionId ? 'present' : value;
        const present =
          typeof chosen === 'string' && chosen in CELL_VALUES ? CELL_VALUES[chosen] : chosen;
        return [{ sessionId, volunteerId, present }];
      });
      const dto = await parseForm(CourseAttendanceDto, { records });
      await this.attendance.recordGrid(actor, id, dto);
      return back;
    });
  }

  /** A make-up: someone booked on another course of the branch attended a session of this one. */
  @Post('courses/:id/attendance/make-up')
  @Redirect()
  addMakeUp(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const back = `/staff/courses/${id}/attendance`;
    const done = form.t('Indhentningen er registreret.', 'The make-up is recorded.');
    return form.submit({ name: 'makeUp', back, done }, async () => {
      const { volunteerId, sessionId } = await parseForm(MakeUpDto, {
        volunteerId: text(form.body.volunteerId),
        sessionId: text(form.body.sessionId),
      });
      await this.attendance
        .recordGrid(actor, id, { records: [{ volunteerId, sessionId, present: true }] })
        .catch(onMakeUpForm);
      return back;
    });
  }

  /** The participants as a file (`?format=csv|xlsx`), the course page's download links. */
  @Get('courses/:id/export/participants')
  async exportParticipants(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Query() query: ExportFormatQuery,
    @Res() res: Response,
  ) {
    sendExport(res, await this.attendance.exportParticipants(actor, id, query.format ?? 'csv'));
  }

  /** The attendance register as a file (`?format=csv|xlsx`). */
  @Get('courses/:id/export/attendance')
  async exportAttendance(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Query() query: ExportFormatQuery,
    @Res() res: Response,
  ) {
    sendExport(res, await this.attendance.exportAttendance(actor, id, query.format ?? 'csv'));
  }

  /** The attendance sheet to print: names, phone and a signature column per session. */
  @Get('courses/:id/print/attendance')
  @Render('courses/print-attendance')
  async printAttendance(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const grid = await this.attendance.exportGrid(actor, id, 'attendance_sheet');
    return {
      title: grid.course.title,
      course: { id: grid.course.id, title: grid.course.title, location: grid.course.location },
      sessions: grid.sessions.map((s) => ({ ...s, ...dayLabels(s) })),
      people: grid.people,
      // Lines for whoever turns up without being on the list (a make-up), written in by hand.
      blankRows: [1, 2, 3],
    };
  }

  /** The participant list to print: the booked, with how to reach them and a signature. */
  @Get('courses/:id/print/participants')
  @Render('courses/print-participants')
  async printParticipants(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const grid = await this.attendance.exportGrid(actor, id, 'participant_list');
    return {
      title: grid.course.title,
      course: { id: grid.course.id, title: grid.course.title },
      sessions: grid.sessions,
      people: grid.people.filter((p) => p.booked),
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

  /**
   * A session: change it, and take attendance as one form with a box per participant. The
   * session's trainer of another branch sees the register only (CoursesService.sessionPage).
   */
  @Get('sessions/:id')
  @Render('courses/session')
  async session(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const { records } = await this.attendance.forSession(actor, id);
    const { course, full, session, participants } = await this.courses.sessionPage(actor, id);
    const { topics } = await this.curriculum.get();
    return {
      title: course.title,
      full,
      materials: full ? await this.materials.list(actor, { sessionId: id }) : [],
      trainers: full ? await this.trainerChoicesFor(actor, course.branchId, session) : [],
      course: { id: course.id, title: course.title },
      session: {
        ...toSessionView(session),
        trainer: session.trainer,
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

  /** The choices, and the session's own staff trainer if no longer among them (moved away). */
  private async trainerChoicesFor(actor: Actor, branchId: string, session: SessionRow) {
    const choices = await this.courses.trainerChoices(actor, branchId);
    return session.trainerUserId && !choices.some((c) => c.id === session.trainerUserId)
      ? [
          ...choices,
          { id: session.trainerUserId, name: session.trainer ?? '', role: '', branchName: null },
        ]
      : choices;
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
        // The form always shows the trainer: both left empty is no trainer.
        trainerUserId: text(form.body.trainerUserId) ?? null,
        trainerName: text(form.body.trainerName) ?? null,
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

/** A grid cell's field: `c:<sessionId>:<volunteerId>`. */
const cellName = (sessionId: string, volunteerId: string) => `c:${sessionId}:${volunteerId}`;
const CELL_NAME = /^c:([0-9a-f-]{36}):([0-9a-f-]{36})$/;
/** A cell's choice; anything else goes on as it is, for the validator to name. */
const CELL_VALUES: Record<string, boolean | null> = { '': null, present: true, absent: false };

/** A session's day for column headings and the cells' labels ("Mette Hansen, 3. dec."). */
function dayLabels(session: SessionRow) {
  const day = DateTime.fromJSDate(session.startsAt).setZone(TIME_ZONE);
  return {
    dayDa: day.setLocale('da').toFormat('d. LLL'),
    dayEn: day.setLocale('en-GB').toFormat('d LLL'),
  };
}

/** The make-up form has two fields; the grid's errors name them by their place in the records. */
function onMakeUpForm(error: unknown): never {
  if (error instanceof InvalidInputError) {
    throw new InvalidInputError(
      error.errors.map((e) => ({ ...e, field: e.field.replace(/^records\.0\./, '') })),
    );
  }
  throw error;
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
