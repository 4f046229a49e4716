import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Attestation } from '../attestations/attestation.entity';
import { AuditService } from '../audit/audit.service';
import { coordinatorsOf } from '../auth/staff-users.repository';
import { UnitOfWork } from '../database/unit-of-work';
import { lockCoursesBookedBy } from '../database/locks';
import { Branch } from '../branches/branch.entity';
import { Actor, branchScopeOf } from '../common/auth/actor';
import { InvalidTransitionError, NotFoundError } from '../common/errors';
import { BookingsRepository } from '../courses/bookings.repository';
import { HomeVisit } from '../home-visits/home-visit.entity';
import { EmailNotifications } from '../notifications/email-notifications';
import { ReadinessService } from '../readiness/readiness.service';
import { ListVolunteersQuery, MatchablePoolQuery } from './dto/list-volunteers.query';
import { Volunteer } from './volunteer.entity';
import { VolunteersRepository } from './volunteers.repository';
import { inTransaction } from '../database/transaction';

@Injectable()
export class VolunteersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly volunteers: VolunteersRepository,
    private readonly readiness: ReadinessService,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsRepository,
    private readonly mail: EmailNotifications,
  ) {}

  /**
   * The volunteer if the actor may see them. Another branch's volunteer is "not found",
   * never "forbidden", so ids do not reveal that a person exists.
   */
  async requireInScope(
    em: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<Volunteer> {
    const volunteer = await this.volunteers.findInScope(em, id, branchScopeOf(actor), lock);
    if (!volunteer) {
      throw new NotFoundError('Volunteer');
    }
    return volunteer;
  }

  list(actor: Actor, query: ListVolunteersQuery) {
    return this.volunteers.list({
      ...query,
      branchCode: query.branch,
      branchId: branchScopeOf(actor),
    });
  }

  matchablePool(actor: Actor, query: MatchablePoolQuery) {
    return this.volunteers.matchablePool({ ...query, branchId: branchScopeOf(actor) });
  }

  async detail(actor: Actor, id: string) {
    return inTransaction(this.db, async (em) => {
      const volunteer = await this.requireInScope(em, actor, id);
      return this.describe(em, volunteer);
    });
  }

  async withdraw(actor: Actor, id: string) {
    return this.uow.run(async (em) => {
      // Closing cancels the bookings: their courses come before the volunteer (locks.ts).
      await lockCoursesBookedBy(em, id);
      const volunteer = await this.requireInScope(em, actor, id, true);
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `The application is already ${volunteer.status}`,
          'volunteer_not_active',
        );
      }
      await this.close(em, volunteer, 'withdrawn');
      await this.audit.record(em, actor, {
        action: 'volunteer.withdrawn',
        branchId: volunteer.branchId,
        volunteerId: id,
      });
      return this.describe(em, volunteer);
    });
  }

  /**
   * Ends an application (withdrawn or declined) with everything that hangs on it: the
   * volunteer gives up their seats and waitlist places (whoever moves up is told) and
   * loses the matchable mark. Call with the volunteer's courses locked first
   * (lockCoursesBookedBy), then the volunteer.
   */
  async close(
    em: EntityManager,
    volunteer: Volunteer,
    status: 'withdrawn' | 'declined',
    now = new Date(),
  ): Promise<void> {
    await em.update(Volunteer, { id: volunteer.id }, { status, closedAt: now });
    volunteer.status = status;
    volunteer.closedAt = now;
    for (const promoted of await this.bookings.cancelAllOf(em, volunteer.id)) {
      await this.mail.bookingPromoted(em, promoted);
    }
    await this.readiness.refresh(em, volunteer, now);
  }

  /** What the volunteer sees of themselves on their personal page and at /api/v1/me. */
  async ownView(volunteerId: string) {
    return inTransaction(this.db, async (em) => {
      const volunteer = await em.findOneByOrFail(Volunteer, { id: volunteerId });
      const readiness = await this.readiness.assess(em, volunteer);
      const branch = await em.findOneByOrFail(Branch, { id: volunteer.branchId });
      const coordinators = (await coordinatorsOf(em, volunteer.branchId)).map(
        ({ name, email }) => ({ name, email }),
      );
      return { volunteer, readiness, branch, coordinators };
    });
  }

  async describe(em: EntityManager, volunteer: Volunteer) {
    const readiness = await this.readiness.assess(em, volunteer);
    const branch = await em.findOneByOrFail(Branch, { id: volunteer.branchId });
    const homeVisits = await em.find(HomeVisit, {
      where: { volunteerId: volunteer.id },
      order: { scheduledAt: 'ASC' },
    });
    const attestations = await em.find(Attestation, {
      where: { volunteerId: volunteer.id },
      order: { receivedOn: 'ASC' },
    });
    return { volunteer, readiness, branch, homeVisits, attestations };
  }
}
