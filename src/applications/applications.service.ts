import { Injectable } from '@nestjs/common';
import { type EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import type { PendingEvents } from '../common/events';
import { hashToken, newToken } from '../common/tokens';
import { BookingsService } from '../courses/bookings.service';
import { UnitOfWork } from '../database/unit-of-work';
import { PortalToken } from '../volunteers/portal-token.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersRepository } from '../volunteers/volunteers.repository';
import type { CreateApplicationDto } from './dto/create-application.dto';

export const APPLICATION_ACCEPTED =
  'Tak! Vi har modtaget din ansøgning og sendt dig en e-mail med et link til din personlige side. / Thank you! We have received your application and emailed you a link to your personal page.';

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly volunteers: VolunteersRepository,
    private readonly audit: AuditService,
    private readonly bookings: BookingsService,
  ) {}

  /**
   * Takes an application from the public form. A person with an application in progress
   * gets their link again instead of a second application, and the answer is the same
   * either way, so the endpoint never tells who has applied. The emails are queued in
   * the same transaction (see EmailNotifications).
   */
  async apply(dto: CreateApplicationDto): Promise<void> {
    try {
      await this.uow.run((em, events) => this.applyIn(em, dto, events));
    } catch (error) {
      // Two submissions with one email raced past the duplicate check; the unique index
      // kept one, and this one becomes the "already applied" case.
      if (!isActiveEmailConflict(error)) {
        throw error;
      }
      await this.uow.run((em, events) => this.applyIn(em, dto, events));
    }
  }

  private async applyIn(em: EntityManager, dto: CreateApplicationDto, events: PendingEvents) {
    const branch = await em.findOneBy(Branch, { code: dto.branchCode });
    if (!branch) {
      throw new InvalidInputError([{ field: 'branchCode', message: 'no branch has this code' }]);
    }
    const portalToken = newToken();
    const existing = await this.volunteers.findActiveByEmail(em, dto.email);
    if (existing) {
      await em.insert(PortalToken, { volunteerId: existing.id, tokenHash: hashToken(portalToken) });
      events.add('application.repeated', { volunteerId: existing.id, portalToken });
      return;
    }
    const volunteer = await em.save(
      em.create(Volunteer, {
        branchId: branch.id,
        firstName: dto.firstName,
        lastName: dto.lastName,
        email: dto.email,
        phone: dto.phone,
        postcode: dto.postcode,
        motivation: dto.motivation,
        experience: dto.experience ?? null,
        availability: dto.availability ?? [],
        languages: dto.languages ?? [],
        locale: dto.locale ?? 'da',
        consentAt: new Date(),
        status: 'active',
        stage: 'applied',
        matchableSince: null,
        closedAt: null,
      }),
    );
    await em.insert(PortalToken, { volunteerId: volunteer.id, tokenHash: hashToken(portalToken) });
    await this.audit.record(em, null, {
      action: 'application.received',
      branchId: branch.id,
      volunteerId: volunteer.id,
    });
    // Raised before the booking, so the welcome mail is queued ahead of the booking's.
    events.add('application.received', { volunteerId: volunteer.id, portalToken });
    if (dto.courseId !== undefined) {
      await this.bookChosenCourse(em, dto.courseId, volunteer.id, events);
    }
  }

  /** The course picked on the form; a course that cannot be booked fails the whole application. */
  private async bookChosenCourse(
    em: EntityManager,
    courseId: string,
    volunteerId: string,
    events: PendingEvents,
  ) {
    try {
      await this.bookings.bookIn(em, { kind: 'volunteer' }, courseId, volunteerId, events);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) {
        const message =
          error instanceof NotFoundError ? 'no course open for booking has this id' : error.message;
        throw new InvalidInputError([{ field: 'courseId', message }]);
      }
      throw error;
    }
  }
}

function isActiveEmailConflict(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint === 'volunteer_active_email_key'
  );
}
