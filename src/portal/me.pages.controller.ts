import {
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Redirect,
  Render,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NotFoundError } from '../common/errors';
import { Form, type PageForm, parseForm } from '../common/pages/forms';
import { langOf } from '../common/pages/web';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CalendarFeedsService } from './calendar-feeds.service';
import { PortalAccess } from './portal-access';
import { liveRememberedLink, rememberPortalLink } from './portal-cookie';
import { PortalLinks } from './portal-links';
import { portalSteps } from './portal-steps';
import type { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { BookingsService } from '../courses/bookings.service';
import { toCourseView, withTrainers } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { CurriculumService } from '../courses/curriculum.service';
import type { SessionRow } from '../courses/courses.repository';
import { OwnBookingDto } from '../courses/dto/booking.dto';
import { MaterialsService } from '../materials/materials.service';
import { UuidParam } from '../common/validation';
import { SubmitEvaluationDto } from '../evaluation/dto/evaluation.dto';
import { EvaluationService } from '../evaluation/evaluation.service';
import { EVALUATION_STATEMENTS } from '../evaluation/statements';
import { ConsentFirstFilter, consented } from './consent-first';

/** The volunteer's personal page behind the private link; the same rules as /api/v1/me. */
@ApiExcludeController()
@UseFilters(ConsentFirstFilter)
@Controller('v/:token')
export class MePagesController {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly bookings: BookingsService,
    private readonly courses: CoursesService,
    private readonly curriculum: CurriculumService,
    private readonly calendarFeeds: CalendarFeedsService,
    private readonly access: PortalAccess,
    private readonly links: PortalLinks,
    private readonly materials: MaterialsService,
    private readonly evaluation: EvaluationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The personal page, which this browser then remembers (see portal-cookie). A link
   * that opens nothing gets the page that explains the link and sends a new one, or,
   * where this browser remembers a live link, the personal page itself.
   */
  @Get()
  async portal(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    const lang = langOf(req);
    const found = token.length <= 200 ? await this.access.volunteerFor(token) : null;
    if (!found) {
      const remembered = await liveRememberedLink(req, this.links);
      if (remembered && remembered !== token) {
        return res.redirect(303, `/v/${remembered}`);
      }
      return res.status(404).render('volunteers/no-link', {
        title: lang === 'en' ? 'The link does not work' : 'Linket virker ikke',
        badLink: true,
      });
    }
    consented(found, token);
    const { volunteer, readiness, branch, coordinators } = await this.volunteers.ownView(found.id);
    const { topics } = await this.curriculum.get();
    const titles = new Map(topics.map((t) => [t.code, lang === 'en' ? t.titleEn : t.titleDa]));
    const ownMaterials = await this.materials.ownMaterials(volunteer.id);
    const steps = portalSteps(readiness, lang, titles, new Map(ownMaterials.map((m) => [m.id, m])));
    const courseMet = readiness.requirements.some((r) => r.key === 'course' && r.met);
    const current = steps.findIndex((s) => !s.met);
    const own = await this.bookings.ownBookings(volunteer.id);
    const described = await this.courses.describe(own.map((b) => b.courseId));
    const open = await this.courses.listOpen(branch.code);
    const calendarPath = await this.calendarFeeds.pathFor(volunteer, token);
    const calendarUrl = calendarPath && `${this.config.publicUrl}${calendarPath}`;
    rememberPortalLink(res, token, this.config);
    return res.render('volunteers/portal', {
      title: lang === 'en' ? 'Your page' : 'Din side',
      token,
      firstName: volunteer.firstName,
      branchName: branch.name,
      steps: steps.map((s, i) => ({ ...s, current: i === current })),
      stepCount: steps.length,
      metCount: steps.filter((s) => s.met).length,
      matchable: readiness.matchable,
      closed: volunteer.status !== 'active',
      coordinators,
      bookings: own.map((b) => {
        const course = described.find((c) => c.summary.id === b.courseId)!;
        const seat = b.status === 'booked';
        return {
          ...b,
          // A seat on a course under way is kept; a waitlist place there may be left.
          seatUnderWay: b.started && seat,
          // An ended course is a record, not a booking to cancel: it shows what was attended,
          // and "Gennemført" only for this course attended in full, so a volunteer short of
          // its hours is not told they completed it.
          finished:
            b.ended && seat && b.hoursAttended > 0 && b.hoursAttended >= liveHours(course.sessions),
          showHours: b.started && seat,
          // The same rule as the certificate itself (CertificatesService.own).
          certificateUrl:
            courseMet && b.hoursAttended > 0 ? `/v/${token}/kursusbevis/${b.courseId}` : null,
          hoursAttended: formatHours(b.hoursAttended, lang),
          course: withTrainers(toCourseView(course.summary, course.sessions), course.sessions),
        };
      }),
      // One unfinished course at a time (BookingsService.bookIn): no offer of a second.
      seatOnUnfinishedCourse: (await this.bookings.unfinishedSeat(volunteer)) !== null,
      openCourses: open
        .filter((c) => !own.some((b) => b.courseId === c.summary.id))
        .map((c) => toCourseView(c.summary, c.sessions)),
      materialCourses: await this.materials.ownPage(volunteer.id, titles),
      calendarUrl,
      webcalUrl: calendarUrl?.replace(/^https?:/, 'webcal:'),
      evaluations: (await this.evaluation.mine(volunteer.id))
        .filter((e) => !e.answered)
        .map((e) => ({ ...e, form: `evaluate-${e.courseId}` })),
    });
  }

  /** "Evaluér kurset": one radio group (1..5) per statement, named by its key. */
  @Post('evaluations')
  @Redirect()
  async evaluate(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.consentedVolunteerFor(token);
    const courseId = typeof form.body.courseId === 'string' ? form.body.courseId : '';
    const back = `/v/${token}#evaluation`;
    return form.submit(
      {
        name: `evaluate-${courseId}`,
        back,
        done: form.t('Tak for din evaluering.', 'Thank you for your evaluation.'),
      },
      async () => {
        const answers = Object.fromEntries(
          EVALUATION_STATEMENTS.map((s) => {
            const raw = form.body[s.key];
            return [s.key, raw === undefined || raw === '' ? undefined : Number(raw)];
          }),
        );
        const dto = await parseForm(SubmitEvaluationDto, {
          courseId,
          answers,
          comment: form.body.comment || undefined,
        });
        await this.evaluation.submit(volunteer.id, dto);
        return back;
      },
    );
  }

  @Post('bookings')
  @Redirect()
  async book(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.consentedVolunteerFor(token);
    return form.submit({ name: 'book', back: `/v/${token}#courses` }, async () => {
      const { courseId } = await parseForm(OwnBookingDto, { courseId: form.body.courseId });
      const result = await this.bookings.book({ kind: 'volunteer' }, courseId, volunteer.id);
      form.flash(
        result.status === 'booked'
          ? form.t('Du er tilmeldt kurset.', 'You are booked on the course.')
          : form.t(
              `Kurset er fuldt; du er nr. ${result.position} på ventelisten.`,
              `The course is full; you are number ${result.position} on the waiting list.`,
            ),
      );
      return `/v/${token}#courses`;
    });
  }

  /**
   * The question before a cancellation, as a page of its own so that it works without
   * JavaScript: the seat goes to the next on the waiting list and may not come back.
   */
  @Get('bookings/:courseId/cancel')
  @Render('volunteers/cancel-booking')
  async confirmCancel(
    @Param('token') token: string,
    @Param('courseId') courseId: string,
    @Req() req: Request,
  ) {
    const volunteer = await this.consentedVolunteerFor(token);
    const booking = (await this.bookings.ownBookings(volunteer.id)).find(
      (b) => b.courseId === courseId,
    );
    // Only what the personal page offers to cancel: a seat before the course begins, a
    // waitlist place before the course ends, while the application is open.
    if (
      volunteer.status !== 'active' ||
      !booking ||
      booking.ended ||
      (booking.started && booking.status === 'booked')
    ) {
      throw new NotFoundError('Booking');
    }
    const [course] = await this.courses.describe([courseId]);
    const waitlisted = booking.status === 'waitlisted';
    const en = langOf(req) === 'en';
    return {
      title: waitlisted
        ? en
          ? 'Leave the waiting list?'
          : 'Forlad ventelisten?'
        : en
          ? 'Cancel your booking?'
          : 'Afmeld kurset?',
      token,
      waitlisted,
      position: booking.position,
      course: toCourseView(course.summary, course.sessions),
    };
  }

  @Post('bookings/:courseId/cancel')
  @Redirect()
  async cancel(
    @Param('token') token: string,
    @Param('courseId') courseId: string,
    @Form() form: PageForm,
  ) {
    const volunteer = await this.consentedVolunteerFor(token);
    const back = `/v/${token}#courses`;
    const done = form.t(
      'Du er afmeldt kurset. Du kan tilmelde dig et andet kursus herunder.',
      'Your booking is cancelled. You can book another course below.',
    );
    return form.submit({ name: 'book', back, done }, async () => {
      const dto = await parseForm(OwnBookingDto, { courseId });
      await this.bookings.cancel({ kind: 'volunteer' }, dto.courseId, volunteer.id);
      return back;
    });
  }

  /**
   * A calendar link for this personal link, which has none yet (it is older than the
   * feed, or another link renewed it): made at the current version, so every other
   * calendar link of the volunteer keeps working.
   */
  @Post('calendar')
  @Redirect()
  async openCalendarLink(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.consentedVolunteerFor(token);
    const back = `/v/${token}#calendar`;
    const done = form.t('Du har fået et kalenderlink.', 'You have a calendar link.');
    return form.submit({ name: 'calendar', back, done }, async () => {
      await this.calendarFeeds.openOwn(volunteer.id, token);
      return back;
    });
  }

  /** A new calendar link; the old one stops working at once. */
  @Post('calendar-link')
  @Redirect()
  async renewCalendarLink(@Param('token') token: string, @Form() form: PageForm) {
    const volunteer = await this.consentedVolunteerFor(token);
    const back = `/v/${token}#calendar`;
    const done = form.t(
      'Du har fået et nyt kalenderlink; det gamle virker ikke længere.',
      'You have a new calendar link; the old one no longer works.',
    );
    return form.submit({ name: 'calendar', back, done }, async () => {
      await this.calendarFeeds.renew(volunteer.id, token);
      return back;
    });
  }

  /** "I have read it": stored with the time and the material's current version. */
  @Post('materials/:id/confirm')
  @Redirect()
  async confirmMaterial(
    @Param('token') token: string,
    @UuidParam('id') id: string,
    @Form() form: PageForm,
  ) {
    const volunteer = await this.consentedVolunteerFor(token);
    const back = `/v/${token}#materials`;
    const done = form.t('Tak, din bekræftelse er gemt.', 'Thank you, your confirmation is saved.');
    return form.submit({ name: 'materials', back, done }, async () => {
      await this.materials.confirm(volunteer.id, id);
      return back;
    });
  }

  private async volunteerFor(token: string): Promise<Volunteer> {
    const volunteer = token.length <= 200 ? await this.access.volunteerFor(token) : null;
    if (!volunteer) {
      throw new NotFoundError('Personal page');
    }
    return volunteer;
  }

  /** The volunteer of a form or page that waits on consent (ConsentFirst otherwise). */
  private async consentedVolunteerFor(token: string): Promise<Volunteer> {
    return consented(await this.volunteerFor(token), token);
  }
}

/** Hours as the reader writes them: `7,5` in Danish, `7.5` in English. */
function formatHours(hours: number, lang: 'da' | 'en'): string {
  return lang === 'en' ? String(hours) : String(hours).replace('.', ',');
}

/** The hours a course's sessions that were held (not cancelled) add up to. */
function liveHours(sessions: SessionRow[]): number {
  return sessions
    .filter((s) => s.cancelledAt === null)
    .reduce((sum, s) => sum + (s.endsAt.getTime() - s.startsAt.getTime()) / 3600_000, 0);
}
