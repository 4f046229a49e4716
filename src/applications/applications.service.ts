import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors';
import { PendingEvents } from '../common/events';
import { BookingsService } from '../courses/bookings.service';
import { hashToken, newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { MailerService, OutgoingEmail } from '../notifications/mailer.service';
import { PortalToken } from '../volunteers/portal-token.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersRepository } from '../volunteers/volunteers.repository';
import { CreateApplicationDto } from './dto/create-application.dto';

export const APPLICATION_ACCEPTED =
  'Tak! Vi har modtaget din ansøgning og sendt dig en e-mail med et link til din personlige side. / Thank you! We have received your application and emailed you a link to your personal page.';

@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly volunteers: VolunteersRepository,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    private readonly bookings: BookingsService,
    private readonly emitter: EventEmitter2,
  ) {}

  /**
   * Takes an application from the public form. A person with an application in progress
   * gets their link again instead of a second application, and the answer is the same
   * either way, so the endpoint never tells who has applied.
   */
  async apply(dto: CreateApplicationDto): Promise<void> {
    let email: OutgoingEmail;
    let events = new PendingEvents();
    try {
      email = await this.db.transaction((em) => this.applyIn(em, dto, events));
    } catch (error) {
      // Two submissions with one email raced past the duplicate check; the unique index
      // kept one, and this one becomes the "already applied" case.
      if (!isActiveEmailConflict(error)) {
        throw error;
      }
      events = new PendingEvents();
      email = await this.db.transaction((em) => this.applyIn(em, dto, events));
    }
    events.emitTo(this.emitter);
    await this.sendAfterCommit(email);
  }

  private async applyIn(
    em: EntityManager,
    dto: CreateApplicationDto,
    events: PendingEvents,
  ): Promise<OutgoingEmail> {
    const branch = await em.findOneBy(Branch, { code: dto.branchCode });
    if (!branch) {
      throw new InvalidInputError([{ field: 'branchCode', message: 'no branch has this code' }]);
    }
    const token = newToken();
    const existing = await this.volunteers.findActiveByEmail(em, dto.email);
    if (existing) {
      await em.insert(PortalToken, { volunteerId: existing.id, tokenHash: hashToken(token) });
      const existingBranch = await em.findOneByOrFail(Branch, { id: existing.branchId });
      return this.emailFor(existing, existingBranch, token, 'already-applied');
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
    await em.insert(PortalToken, { volunteerId: volunteer.id, tokenHash: hashToken(token) });
    await this.audit.record(em, null, {
      action: 'application.received',
      branchId: branch.id,
      volunteerId: volunteer.id,
    });
    if (dto.courseId !== undefined) {
      await this.bookChosenCourse(em, dto.courseId, volunteer.id, events);
    }
    return this.emailFor(volunteer, branch, token, 'application-received');
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

  private emailFor(
    volunteer: Volunteer,
    branch: Branch,
    token: string,
    template: string,
  ): OutgoingEmail {
    return {
      to: volunteer.email,
      template,
      locale: volunteer.locale,
      data: {
        firstName: volunteer.firstName,
        branchName: branch.name,
        portalUrl: `${this.config.publicUrl}/v/${token}`,
      },
    };
  }

  /** The application is saved whatever the mail server does; a failed send is logged. */
  private async sendAfterCommit(email: OutgoingEmail): Promise<void> {
    try {
      await this.mailer.send(email);
    } catch (error) {
      this.logger.error(`Could not send ${email.template} to ${email.to}: ${String(error)}`);
    }
  }
}

function isActiveEmailConflict(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint === 'volunteer_active_email_key'
  );
}
