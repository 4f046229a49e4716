import { Controller, Get, Inject, Render, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { toLocalInput } from '../common/pages/forms';
import { langOf } from '../common/pages/web';
import { todayInCopenhagen } from '../common/dates';
import { UuidParam } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { BookingsService } from '../courses/bookings.service';
import { toCourseView } from '../courses/course.view';
import { CoursesService } from '../courses/courses.service';
import { CurriculumService } from '../courses/curriculum.service';
import { AVAILABILITY, LANGUAGES, labelled } from '../volunteers/volunteer-options';
import { toVolunteerView } from '../volunteers/volunteer.view';
import { NOTE_TOPICS } from '../volunteers/volunteer-note.entity';
import { actionName, readableDetail } from '../volunteers/volunteer-history';
import { VolunteerRecordService } from '../volunteers/volunteer-record.service';
import { RequirementsService } from '../requirements/requirements.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import { ErasureService } from '../privacy/erasure.service';
import { retentionErasureDay } from '../privacy/retention';
import {
  type Funnel,
  type WaitingPerson,
  type WaitingStage,
  WorkspaceRepository,
} from './workspace.repository';

const FUNNEL_STEPS: { key: keyof Funnel; da: string; en: string }[] = [
  { key: 'applied', da: 'Ansøgt', en: 'Applied' },
  { key: 'visitScheduled', da: 'Hjemmebesøg aftalt', en: 'Visit scheduled' },
  { key: 'approved', da: 'Godkendt', en: 'Approved' },
  { key: 'certificateValid', da: 'Børneattest gyldig', en: 'Certificate valid' },
  { key: 'courseCompleted', da: 'Kursus gennemført', en: 'Course completed' },
  { key: 'matchable', da: 'Klar til match', en: 'Matchable' },
];
const WAITING_STAGES: { stage: WaitingStage; da: string; en: string }[] = [
  { stage: 'applied', da: 'Ansøgt, intet besøg aftalt', en: 'Applied, no visit planned' },
  {
    stage: 'visit_scheduled',
    da: 'Besøg aftalt, ikke godkendt',
    en: 'Visit planned, not approved',
  },
  { stage: 'approved', da: 'Godkendt, ikke klar til match', en: 'Approved, not matchable' },
];

@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff')
export class WorkspacePagesController {
  constructor(
    private readonly workspace: WorkspaceRepository,
    private readonly volunteers: VolunteersService,
    private readonly record: VolunteerRecordService,
    private readonly erasure: ErasureService,
    private readonly courses: CoursesService,
    private readonly bookings: BookingsService,
    private readonly curriculum: CurriculumService,
    private readonly extraRequirements: RequirementsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Render('workspace/dashboard')
  async dashboard(@CurrentActor() actor: Actor, @Req() req: Request) {
    const scope = branchScopeOf(actor);
    const funnel = await this.workspace.funnel(scope);
    const attention = await this.workspace.attention(scope);
    const lang = langOf(req);
    const waiting = await this.workspace.waitingLongest(scope);
    const most = Math.max(funnel.applied, 1);
    return {
      title: lang === 'en' ? 'Dashboard' : 'Overblik',
      // HTML bars, not a drawing: the labels keep the page's text size on a phone.
      funnel: FUNNEL_STEPS.map((step) => ({
        ...step,
        count: funnel[step.key],
        // As wide as its share of the applicants, with a sliver for none.
        percent: Math.max(1, Math.round((funnel[step.key] / most) * 100)),
      })),
      attention,
      // The volunteers' own "delete me", oldest (nearest deadline) first.
      erasureRequests: await this.erasure.openRequests(actor),
      waiting: groupWaiting(waiting),
    };
  }

  /** A volunteer's readiness checklist with the forms for every next step. */
  @Get('volunteers/:id')
  @Render('workspace/volunteer')
  async volunteer(@CurrentActor() actor: Actor, @UuidParam() id: string, @Req() req: Request) {
    const lang = langOf(req);
    // Read once for the page: the readiness below and the topics' titles.
    const curriculum = await this.curriculum.get();
    const described = await this.volunteers.detail(actor, id, curriculum);
    const view = toVolunteerView(described, this.config.attestationValidMonths);
    const { topics } = curriculum;
    const own = await this.bookings.ownBookings(id);
    const branchCourses = (await this.courses.listInScope(actor))
      .map((c) => toCourseView(c.summary, c.sessions))
      .filter((c) => c.branchCode === view.branchCode && !c.cancelled);
    const live = described.homeVisits.filter((v) => v.cancelledAt === null);
    const pending = live.find((v) => v.outcome === null);
    const requirements = view.readiness.requirements;
    const active = described.volunteer.status === 'active';
    const course = requirements.find((r) => r.key === 'course');
    const missing = course && 'missingTopics' in course.detail ? course.detail.missingTopics : [];
    return {
      title: `${view.firstName} ${view.lastName}`,
      v: view,
      active,
      availability: labelled(view.availability, AVAILABILITY),
      languages: labelled(view.languages, LANGUAGES),
      requirements,
      extraRequirements: (await this.extraRequirements.onVolunteer(actor, id, described)).map(
        (r) => ({
          ...r,
          form: `requirement-${r.key}`,
        }),
      ),
      missingTopics: topics
        .filter((t) => missing.includes(t.code))
        .map((t) => (lang === 'en' ? t.titleEn : t.titleDa)),
      pendingVisit: pending ? pendingVisitView(pending.id, pending.scheduledAt, new Date()) : null,
      canScheduleVisit: !pending && !live.some((v) => v.outcome === 'approved'),
      closing: view.closing && {
        ...view.closing,
        erasesOn: described.volunteer.closedAt
          ? retentionErasureDay(described.volunteer.closedAt, this.config.retentionClosedMonths)
          : null,
      },
      // A closed record shows what happened, not requirement cards with nothing in them.
      cards: {
        visit: active || described.homeVisits.length > 0,
        certificate: active || described.attestations.length > 0,
        courses: active || own.length > 0,
      },
      visitDefault: toLocalInput(new Date(Date.now() + 7 * 24 * 3600_000)),
      today: todayInCopenhagen(),
      bookings: own.map((b) => ({
        ...b,
        course: branchCourses.find((c) => c.id === b.courseId),
      })),
      bookableCourses: branchCourses.filter((c) => !own.some((b) => b.courseId === c.id)),
      availabilityOptions: AVAILABILITY,
      languageOptions: LANGUAGES,
      noteTopics: NOTE_TOPICS,
      notes: await this.record.notes(actor, id),
      erasureRequest: await this.erasure.openRequestOf(actor, id),
      history: (await this.record.historyEvents(actor, id)).map((h) => ({
        at: h.at,
        actorName: h.actorName,
        name: actionName(h.action),
        detail: readableDetail(h.details, lang),
      })),
    };
  }
}

/** The longest waiting people under the heading of their stage, every stage shown. */
function groupWaiting(people: WaitingPerson[]) {
  return WAITING_STAGES.map((s) => ({
    ...s,
    people: people.filter((p) => p.stage === s.stage),
  }));
}

/**
 * The outcome form of a visit not yet settled: one planned for later asks whether it
 * was already held, and the held time starts at the planned time or now, whichever came first.
 */
function pendingVisitView(id: string, scheduledAt: Date, now: Date) {
  const plannedLater = scheduledAt > now;
  return {
    id,
    scheduledAt,
    plannedLater,
    heldAtDefault: toLocalInput(plannedLater ? now : scheduledAt),
    rescheduleDefault: toLocalInput(scheduledAt),
  };
}
