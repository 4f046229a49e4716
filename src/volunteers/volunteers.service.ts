import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { StaffUser } from '../auth/staff-user.entity';
import { coordinatorsOf } from '../auth/staff-users.repository';
import { UnitOfWork } from '../database/unit-of-work';
import { lockCoursesBookedBy } from '../database/locks';
import { Branch } from '../branches/branch.entity';
import { Actor, branchScopeOf } from '../common/auth/actor';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../common/errors';
import { BookingsRepository } from '../courses/bookings.repository';
import { EmailNotifications } from '../notifications/email-notifications';
import type { CurriculumSnapshot } from '../courses/curriculum.repository';
import { ReadinessService } from '../readiness/readiness.service';
import { ListVolunteersQuery, MatchablePoolQuery } from './dto/list-volunteers.query';
import { WithdrawDto } from './dto/close-application.dto';
import { Volunteer } from './volunteer.entity';
import { VolunteerRecordRepository } from './volunteer-record.repository';
import { VolunteersRepository } from './volunteers.repository';
import { inTransaction } from '../database/transaction';
import { exportFile, type ExportFormat, fileDay } from '../common/export/spreadsheet';
import { poolSheet, volunteerListSheet } from './volunteer-exports';

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
    private readonly records: VolunteerRecordRepository,
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

  /**
   * Every volunteer the list's filters match (limit and offset ignored) as a file with
   * the page's columns, through the list's own query; who exported what is audited.
   */
  async exportList(actor: Actor, query: ListVolunteersQuery, format: ExportFormat) {
    const { items } = await this.volunteers.list({
      ...query,
      branchCode: query.branch,
      branchId: branchScopeOf(actor),
      limit: null,
      offset: 0,
    });
    const filters = {
      branch: query.branch ?? null,
      stage: query.stage ?? null,
      q: query.q ?? null,
      postcode: query.postcode ?? null,
      matchable: query.matchable ?? null,
      sort: query.sort ?? null,
    };
    await this.audit.record(this.db.manager, actor, {
      action: 'volunteers.exported',
      branchId: branchScopeOf(actor),
      details: { list: 'volunteers', format, rows: items.length, ...filters },
    });
    const name = query.matchable === true ? 'klar-til-match' : 'frivillige';
    return exportFile(
      { name: `${name}-${fileDay()}`, ...volunteerListSheet(items, actor.role === 'admin') },
      format,
    );
  }

  /** The matchable pool page as a file, audited as the list export is. */
  async exportPool(actor: Actor, query: MatchablePoolQuery, format: ExportFormat) {
    const rows = await this.matchablePool(actor, query);
    await this.audit.record(this.db.manager, actor, {
      action: 'volunteers.exported',
      branchId: branchScopeOf(actor),
      details: {
        list: 'pool',
        format,
        rows: rows.length,
        postcode: query.postcode ?? null,
        availability: query.availability ?? null,
        language: query.language ?? null,
      },
    });
    return exportFile({ name: `klar-til-match-${fileDay()}`, ...poolSheet(rows) }, format);
  }

  /**
   * The record, for the API and the record page. It shows the child certificate's
   * result, a criminal-record fact: that read is audited (see AuditService.recordRead).
   * `curriculum`: when the caller has read it already (the record page), not read again.
   */
  async detail(actor: Actor, id: string, curriculum?: CurriculumSnapshot) {
    return inTransaction(this.db, async (em) => {
      const volunteer = await this.requireInScope(em, actor, id);
      const described = await this.describe(em, volunteer, curriculum);
      if (described.attestations.length > 0) {
        await this.audit.recordRead(em, actor, {
          action: 'attestation.viewed',
          branchId: volunteer.branchId,
          volunteerId: volunteer.id,
        });
      }
      return described;
    });
  }

  async withdraw(actor: Actor, id: string, dto: WithdrawDto = {}) {
    return this.uow.run(async (em) => {
      // Closing cancels the bookings: their courses come before the volunteer (locks.ts).
      await lockCoursesBookedBy(em, id);
      const volunteer = await this.requireInScope(em, actor, id, true);
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          `Ansøgningen er allerede ${volunteer.status === 'withdrawn' ? 'trukket tilbage' : 'afslået'}. / The application is already ${volunteer.status}.`,
          'volunteer_not_active',
        );
      }
      const closing = { reason: dto.reason ?? null, note: dto.note ?? null, by: actor.id };
      const cancelled = await this.close(em, volunteer, 'withdrawn', closing);
      await this.audit.record(em, actor, {
        action: 'volunteer.withdrawn',
        branchId: volunteer.branchId,
        volunteerId: id,
        details: { reason: closing.reason, note: closing.note, bookingsCancelled: cancelled },
      });
      await this.mail.volunteerWithdrawn(em, { volunteerId: id, closedAt: volunteer.closedAt! });
      return this.describe(em, volunteer);
    });
  }

  /**
   * The volunteer withdraws themselves from their personal page: the same closing as the
   * staff withdrawal, with no staff member as the one who closed it.
   */
  async withdrawOwn(volunteerId: string) {
    return this.uow.run(async (em) => {
      await lockCoursesBookedBy(em, volunteerId);
      const volunteer = await em.findOne(Volunteer, {
        where: { id: volunteerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!volunteer || volunteer.erasedAt) {
        throw new NotFoundError('Volunteer');
      }
      if (volunteer.status !== 'active') {
        throw new InvalidTransitionError(
          'Ansøgningen er allerede afsluttet. / The application is already closed.',
          'volunteer_not_active',
        );
      }
      const cancelled = await this.close(em, volunteer, 'withdrawn', {
        reason: null,
        note: null,
        by: null,
      });
      await this.audit.record(em, null, {
        action: 'volunteer.withdrawn',
        branchId: volunteer.branchId,
        volunteerId,
        details: { by: 'volunteer', bookingsCancelled: cancelled },
      });
      await this.mail.volunteerWithdrawn(em, { volunteerId, closedAt: volunteer.closedAt! });
      return this.describe(em, volunteer);
    });
  }

  /**
   * Opens a withdrawn application again, with its stage derived from the records as they
   * are now. Cancelled bookings stay cancelled: their seats may have gone to others.
   */
  async reactivate(actor: Actor, id: string) {
    return this.uow.run(async (em) => {
      const volunteer = await this.requireInScope(em, actor, id, true);
      if (volunteer.status !== 'withdrawn') {
        throw new InvalidTransitionError(
          volunteer.status === 'active'
            ? 'Ansøgningen er allerede aktiv. / The application is already active.'
            : 'Kun en tilbagetrukket ansøgning kan genaktiveres. / Only a withdrawn application can be reactivated.',
          'volunteer_not_withdrawn',
        );
      }
      // Someone may have applied anew with the same address since; two active records
      // with one address is what the unique index forbids, so say so instead of failing.
      if (await this.records.emailTakenByAnother(em, volunteer.email, volunteer.id)) {
        throw new ConflictError(
          'En anden aktiv frivillig bruger denne e-mailadresse. / Another active volunteer uses this email address.',
          'volunteer_email_taken',
        );
      }
      await em.update(
        Volunteer,
        { id },
        { status: 'active', closedAt: null, closedReason: null, closedNote: null, closedBy: null },
      );
      Object.assign(volunteer, {
        status: 'active',
        closedAt: null,
        closedReason: null,
        closedNote: null,
        closedBy: null,
      });
      const { stage } = await this.readiness.refresh(em, volunteer);
      await this.audit.record(em, actor, {
        action: 'volunteer.reactivated',
        branchId: volunteer.branchId,
        volunteerId: id,
        details: { stage },
      });
      return this.describe(em, volunteer);
    });
  }

  /** What withdrawing would cancel, for the confirmation page. */
  async closingPreview(actor: Actor, id: string) {
    return inTransaction(this.db, async (em) => {
      const volunteer = await this.requireInScope(em, actor, id);
      return { volunteer, bookings: await this.bookings.closingPreview(em, id) };
    });
  }

  /**
   * Ends an application (withdrawn or declined) with everything that hangs on it: the
   * volunteer gives up their seats and waitlist places (whoever moves up is told) and
   * loses the matchable mark. Call with the volunteer's courses locked first
   * (lockCoursesBookedBy), then the volunteer. Returns how many bookings it cancelled.
   */
  async close(
    em: EntityManager,
    volunteer: Volunteer,
    status: 'withdrawn' | 'declined',
    closing: { reason: string | null; note: string | null; by: string | null },
    now = new Date(),
  ): Promise<number> {
    const closed = {
      status,
      closedAt: now,
      closedReason: closing.reason,
      closedNote: closing.note,
      closedBy: closing.by,
    };
    await em.update(Volunteer, { id: volunteer.id }, closed);
    Object.assign(volunteer, closed);
    const live = await this.bookings.closingPreview(em, volunteer.id);
    for (const promoted of await this.bookings.cancelAllOf(em, volunteer.id)) {
      await this.mail.bookingPromoted(em, promoted);
    }
    await this.readiness.refresh(em, volunteer, now);
    return live.length;
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

  async describe(em: EntityManager, volunteer: Volunteer, curriculum?: CurriculumSnapshot) {
    const { readiness, homeVisits, attestations } = await this.readiness.assessShowing(
      em,
      volunteer,
      new Date(),
      curriculum,
    );
    const branch = await em.findOneByOrFail(Branch, { id: volunteer.branchId });
    const closedBy = volunteer.closedBy
      ? await em.findOneBy(StaffUser, { id: volunteer.closedBy })
      : null;
    return {
      volunteer,
      readiness,
      branch,
      homeVisits,
      attestations,
      closedByName: closedBy?.name ?? null,
    };
  }
}
