import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnitOfWork } from '../database/unit-of-work';
import { lockCoursesBookedBy } from '../database/locks';
import { Actor, branchScopeOf } from '../common/auth/actor';
import { parseInstant } from '../common/dates';
import { InvalidInputError, InvalidTransitionError, NotFoundError } from '../common/errors';
import { EmailNotifications } from '../notifications/email-notifications';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { RecordOutcomeDto } from './dto/record-outcome.dto';
import { ScheduleHomeVisitDto } from './dto/schedule-home-visit.dto';
import { HomeVisit } from './home-visit.entity';
import { decideHeldAt, isAfterTheFact, newTimeProblems } from './home-visit-rules';
import { RescheduleHomeVisitDto } from './dto/reschedule-home-visit.dto';

@Injectable()
export class HomeVisitsService {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly mail: EmailNotifications,
  ) {}

  async schedule(actor: Actor, volunteerId: string, dto: ScheduleHomeVisitDto): Promise<HomeVisit> {
    return this.uow.run(async (em) => {
      const volunteer = await this.volunteers.requireInScope(em, actor, volunteerId, true);
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `Ansøgningen er ${volunteer.status === 'withdrawn' ? 'trukket tilbage' : 'afslået'}; der kan ikke aftales besøg. / The application is ${volunteer.status}; no visit can be scheduled.`,
          'volunteer_not_active',
        );
      }
      // A cancelled visit counts for nothing: another can be planned in its place.
      const visits = (await em.find(HomeVisit, { where: { volunteerId } })).filter(
        (v) => v.cancelledAt === null,
      );
      if (visits.some((v) => v.outcome === 'approved')) {
        throw new InvalidTransitionError(
          'Den frivillige er allerede godkendt. / The volunteer is already approved.',
          'already_approved',
        );
      }
      if (visits.some((v) => v.outcome === null)) {
        throw new InvalidTransitionError(
          'Der er allerede aftalt et besøg; registrér dets udfald først. / A visit is already scheduled; record its outcome first.',
          'visit_pending',
        );
      }
      const scheduledAt = parseInstant(dto.scheduledAt)!;
      const afterTheFact = isAfterTheFact(scheduledAt, new Date());
      const visit = await em.save(
        em.create(HomeVisit, { volunteerId, scheduledAt, createdBy: actor.id }),
      );
      await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'home_visit.scheduled',
        branchId: volunteer.branchId,
        volunteerId,
        details: {
          homeVisitId: visit.id,
          scheduledAt: visit.scheduledAt.toISOString(),
          afterTheFact,
        },
      });
      // The invitation is for a visit to come; one recorded after the fact mails nobody.
      if (!afterTheFact) {
        await this.mail.homeVisitScheduled(em, { homeVisitId: visit.id, volunteerId });
      }
      return visit;
    });
  }

  /**
   * Approving or declining settles the visit; a decline also closes the application.
   * `confirmedHeldEarly` is the page's "has the visit already taken place?" for a visit
   * planned for later; the API does not ask.
   */
  async recordOutcome(
    actor: Actor,
    visitId: string,
    dto: RecordOutcomeDto,
    { confirmedHeldEarly } = { confirmedHeldEarly: true },
  ): Promise<HomeVisit> {
    return this.uow.run(async (em) => {
      // A decline closes the application and cancels its bookings: courses first (locks.ts).
      const { volunteer, visit } = await this.lockPlanned(em, actor, visitId, {
        coursesFirst: dto.outcome === 'declined',
      });
      const now = new Date();
      const held = decideHeldAt({
        scheduledAt: visit.scheduledAt,
        heldAt: dto.heldAt ? parseInstant(dto.heldAt)! : undefined,
        now,
        confirmedHeldEarly,
      });
      if (held.heldAt === null) {
        throw new InvalidInputError(held.problems);
      }
      await em.update(
        HomeVisit,
        { id: visitId },
        {
          outcome: dto.outcome,
          notes: dto.notes ?? null,
          heldAt: held.heldAt,
          outcomeAt: now,
          outcomeBy: actor.id,
        },
      );
      if (dto.outcome === 'declined') {
        const closing = { reason: dto.reason ?? null, note: dto.notes ?? null, by: actor.id };
        await this.volunteers.close(em, volunteer, 'declined', closing, now);
        // Kind and general: the reasons are the coordinator's, not for the mail.
        await this.mail.volunteerDeclined(em, { volunteerId: volunteer.id });
      } else {
        await this.readiness.refresh(em, volunteer, now);
      }
      await this.audit.record(em, actor, {
        action: `home_visit.${dto.outcome}`,
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: {
          homeVisitId: visitId,
          heldAt: held.heldAt.toISOString(),
          ...(dto.outcome === 'declined' ? { reason: dto.reason ?? null } : {}),
        },
      });
      return em.findOneByOrFail(HomeVisit, { id: visitId });
    });
  }

  /** Moves a planned visit to a time to come; the volunteer gets the new time and calendar entry. */
  async reschedule(actor: Actor, visitId: string, dto: RescheduleHomeVisitDto): Promise<HomeVisit> {
    return this.uow.run(async (em) => {
      const { volunteer, visit } = await this.lockPlanned(em, actor, visitId);
      const scheduledAt = parseInstant(dto.scheduledAt)!;
      const problems = newTimeProblems(scheduledAt, new Date());
      if (problems.length > 0) {
        throw new InvalidInputError(problems);
      }
      const sequence = visit.sequence + 1;
      await em.update(HomeVisit, { id: visitId }, { scheduledAt, sequence });
      await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'home_visit.rescheduled',
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: {
          homeVisitId: visitId,
          from: visit.scheduledAt.toISOString(),
          scheduledAt: scheduledAt.toISOString(),
        },
      });
      await this.mail.homeVisitMoved(em, { homeVisitId: visitId, volunteerId: volunteer.id });
      return em.findOneByOrFail(HomeVisit, { id: visitId });
    });
  }

  /**
   * Calls off a planned visit. It stays in the history but no longer counts as planned,
   * so the stage goes back (to applied, or follow-up's) in the same transaction.
   */
  async cancel(actor: Actor, visitId: string): Promise<HomeVisit> {
    return this.uow.run(async (em) => {
      const { volunteer, visit } = await this.lockPlanned(em, actor, visitId);
      const now = new Date();
      await em.update(
        HomeVisit,
        { id: visitId },
        { cancelledAt: now, cancelledBy: actor.id, sequence: visit.sequence + 1 },
      );
      const { stage } = await this.readiness.refresh(em, volunteer, now);
      await this.audit.record(em, actor, {
        action: 'home_visit.cancelled',
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: { homeVisitId: visitId, scheduledAt: visit.scheduledAt.toISOString(), stage },
      });
      // A visit that was due already is no news to the volunteer's calendar, but they
      // were expecting it all the same: they are told either way.
      await this.mail.homeVisitCancelled(em, { homeVisitId: visitId, volunteerId: volunteer.id });
      return em.findOneByOrFail(HomeVisit, { id: visitId });
    });
  }

  /**
   * Whether `recordOutcome` would take this time, without recording anything: the page
   * asks about the time on the outcome form before it asks to confirm a decline.
   */
  async checkHeldAt(
    actor: Actor,
    visitId: string,
    dto: RecordOutcomeDto,
    { confirmedHeldEarly }: { confirmedHeldEarly: boolean },
  ): Promise<void> {
    const visit = await this.uow.run((em) => this.findInScope(em, actor, visitId));
    const held = decideHeldAt({
      scheduledAt: visit.scheduledAt,
      heldAt: dto.heldAt ? parseInstant(dto.heldAt)! : undefined,
      now: new Date(),
      confirmedHeldEarly,
    });
    if (held.heldAt === null) {
      throw new InvalidInputError(held.problems);
    }
  }

  /** A visit with its volunteer and their live bookings, for the confirmation pages. */
  async getForPage(actor: Actor, volunteerId: string, visitId: string) {
    const visit = await this.requireVisitOf(actor, volunteerId, visitId);
    const { volunteer, bookings } = await this.volunteers.closingPreview(actor, volunteerId);
    return { visit, volunteer, bookings };
  }

  /**
   * The visit of this volunteer, as a page's address names both: a visit of someone else
   * (or of another branch) is "not found", so a page never acts on a record it did not show.
   */
  async requireVisitOf(actor: Actor, volunteerId: string, visitId: string): Promise<HomeVisit> {
    const visit = await this.uow.run((em) => this.findInScope(em, actor, visitId));
    if (visit.volunteerId !== volunteerId) {
      throw new NotFoundError('Home visit');
    }
    return visit;
  }

  /** The visit if the actor may see its volunteer; another branch's is "not found". */
  private async findInScope(em: EntityManager, actor: Actor, visitId: string) {
    const found = await em
      .getRepository(HomeVisit)
      .createQueryBuilder('h')
      .innerJoin(Volunteer, 'v', 'v.id = h.volunteer_id')
      .where('h.id = :visitId', { visitId })
      .andWhere('(CAST(:scope AS uuid) IS NULL OR v.branch_id = :scope)', {
        scope: branchScopeOf(actor),
      })
      .getOne();
    if (!found) {
      throw new NotFoundError('Home visit');
    }
    return found;
  }

  /**
   * The volunteer, then the visit (locks.ts order), both locked, after the volunteer's
   * courses when asked; the visit must still be planned.
   */
  private async lockPlanned(
    em: EntityManager,
    actor: Actor,
    visitId: string,
    { coursesFirst = false } = {},
  ) {
    const found = await this.findInScope(em, actor, visitId);
    if (coursesFirst) {
      await lockCoursesBookedBy(em, found.volunteerId);
    }
    const volunteer = await this.volunteers.requireInScope(em, actor, found.volunteerId, true);
    const visit = await em.findOneOrFail(HomeVisit, {
      where: { id: visitId },
      lock: { mode: 'pessimistic_write' },
    });
    requirePlanned(visit);
    if (volunteer.status !== 'active') {
      throw new InvalidTransitionError(
        `Ansøgningen er ${volunteer.status === 'withdrawn' ? 'trukket tilbage' : 'afslået'}. / The application is ${volunteer.status}.`,
        'volunteer_not_active',
      );
    }
    return { volunteer, visit };
  }
}

/** Only a visit without an outcome that is not cancelled can be moved, cancelled or settled. */
function requirePlanned(visit: HomeVisit) {
  if (visit.cancelledAt !== null) {
    throw new InvalidTransitionError(
      'Besøget er aflyst. / The visit is cancelled.',
      'visit_cancelled',
    );
  }
  if (visit.outcome !== null) {
    throw new InvalidTransitionError(
      "Besøgets udfald er allerede registreret. / This visit's outcome is already recorded.",
      'outcome_recorded',
    );
  }
}
