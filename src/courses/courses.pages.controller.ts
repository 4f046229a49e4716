import { Body, Controller, Get, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import { BranchesService } from '../branches/branches.service';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import {
  copenhagenInstant,
  type FormBody,
  int,
  list,
  parseForm,
  submitForm,
  text,
  toLocalInput,
} from '../common/pages/forms';
import { inLang, langOf, localPath } from '../common/pages/web';
import { UuidParam } from '../common/validation';
import { AttendanceService } from './attendance.service';
import { BookingsService } from './bookings.service';
import { toCourseView, toSessionView } from './course.view';
import { CoursesService } from './courses.service';
import { CurriculumService } from './curriculum.service';
import { OwnBookingDto } from './dto/booking.dto';
import { CreateCourseDto } from './dto/create-course.dto';
import { RecordAttendanceDto } from './dto/record-attendance.dto';
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
    return { title: 'Kurser', courses: courses.map((c) => toCourseView(c.summary, c.sessions)) };
  }

  @Get('courses/new')
  @Render('courses/new')
  async newCourse(@CurrentActor() actor: Actor) {
    const scope = branchScopeOf(actor);
    const branches = (await this.branches.list()).filter((b) => scope === null || b.id === scope);
    const { topics } = await this.curriculum.get();
    return {
      title: 'Nyt kursus',
      branches,
      topics,
      rows: Array.from({ length: SESSION_ROWS }, (_, i) => ({ i })),
    };
  }

  @Post('courses')
  async create(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const done = inLang(langOf(req), 'Kurset er oprettet.', 'The course was created.');
    await submitForm(
      req,
      res,
      { name: 'course', back: '/staff/courses/new', values: body, done },
      async () => {
        const rows = Array.isArray(body.sessions) ? (body.sessions as FormBody[]) : [];
        const dto = await parseForm(CreateCourseDto, {
          branchCode: body.branchCode,
          title: body.title,
          capacity: int(body.capacity),
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
        const course = await this.courses.create(actor, dto);
        return `/staff/courses/${course.summary.id}`;
      },
    );
  }

  @Get('courses/:id')
  @Render('courses/show')
  async show(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    const course = await this.courses.get(actor, id);
    const participants = await this.courses.participants(actor, id);
    return {
      title: course.summary.title,
      course: toCourseView(course.summary, course.sessions),
      booked: participants.filter((p) => p.status === 'booked'),
      waitlisted: participants.filter((p) => p.status === 'waitlisted'),
    };
  }

  @Post('volunteers/:id/bookings')
  async book(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    await submitForm(req, res, { name: 'booking', back, values: body }, async () => {
      const { courseId } = await parseForm(OwnBookingDto, { courseId: body.courseId });
      const result = await this.bookings.book({ kind: 'staff', actor }, courseId, volunteerId);
      req.session.flash =
        result.status === 'booked'
          ? inLang(langOf(req), 'Tilmeldt kurset.', 'Booked on the course.')
          : inLang(
              langOf(req),
              `Kurset er fuldt: nr. ${result.position} på ventelisten.`,
              `The course is full: number ${result.position} on the waiting list.`,
            );
      return back;
    });
  }

  @Post('courses/:id/bookings/:volunteerId/cancel')
  async cancel(
    @CurrentActor() actor: Actor,
    @UuidParam() courseId: string,
    @UuidParam('volunteerId') volunteerId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = localPath(body.back, `/staff/courses/${courseId}`);
    const done = inLang(langOf(req), 'Tilmeldingen er annulleret.', 'The booking is cancelled.');
    await submitForm(req, res, { name: 'booking', back, values: body, done }, async () => {
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
  async updateSession(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/sessions/${id}`;
    const done = inLang(langOf(req), 'Kursusgangen er ændret.', 'The session was changed.');
    await submitForm(req, res, { name: 'session', back, values: body, done }, async () => {
      const dto = await parseForm(UpdateSessionDto, {
        startsAt: copenhagenInstant(body.startsAt),
        endsAt: copenhagenInstant(body.endsAt),
        location: body.location,
        topics: list(body.topics),
      });
      await this.courses.updateSession(actor, id, dto);
      return back;
    });
  }

  @Post('sessions/:id/attendance')
  async recordAttendance(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/sessions/${id}`;
    const done = inLang(langOf(req), 'Fremmødet er gemt.', 'Attendance is saved.');
    await submitForm(req, res, { name: 'attendance', back, values: body, done }, async () => {
      const present = list(body.present);
      const dto = await parseForm(RecordAttendanceDto, {
        records: list(body.participants).map((volunteerId) => ({
          volunteerId,
          present: present.includes(volunteerId),
        })),
      });
      await this.attendance.record(actor, id, dto);
      return back;
    });
  }
}
