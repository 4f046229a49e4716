import { Injectable } from '@nestjs/common';
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
import { decideHeldAt, isAfterTheFact } from './home-visit-rules';

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
          `The application is ${volunteer.status}; no visit can be scheduled`,
          'volunteer_not_active',
        );
      }
      const visits = await em.find(HomeVisit, { where: { volunteerId } });
      if (visits.some((v) => v.outcome === 'approved')) {
        throw new InvalidTransitionError('The volunteer is already approved', 'already_approved');
      }
      if (visits.some((v) => v.outcome === null)) {
        throw new InvalidTransitionError(
          'A visit is already scheduled; record its outcome first',
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
      if (dto.outcome === 'declined') {
        // A decline closes the application and cancels its bookings: courses first (locks.ts).
        await lockCoursesBookedBy(em, found.volunteerId);
      }
      const volunteer = await this.volunteers.requireInScope(em, actor, found.volunteerId, true);
      const visit = await em.findOneOrFail(HomeVisit, {
        where: { id: visitId },
        lock: { mode: 'pessimistic_write' },
      });
      if (visit.outcome !== null) {
        throw new InvalidTransitionError(
          `This visit's outcome is already recorded (${visit.outcome})`,
          'outcome_recorded',
        );
      }
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `The application is ${volunteer.status}`,
          'volunteer_not_active',
        );
      }
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
        await this.volunteers.close(em, volunteer, 'declined', now);
      } else {
        await this.readiness.refresh(em, volunteer, now);
      }
      await this.audit.record(em, actor, {
        action: `home_visit.${dto.outcome}`,
        branchId: volunteer.branchId,
        volunteerId: volunteer.id,
        details: { homeVisitId: visitId, heldAt: held.heldAt.toISOString() },
      });
      return em.findOneByOrFail(HomeVisit, { id: visitId });
    });
  }
}
