import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import { InvalidInputError } from '../common/errors';
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
  ) {}

  /**
   * Takes an application from the public form. A person with an application in progress
   * gets their link again instead of a second application, and the answer is the same
   * either way, so the endpoint never tells who has applied.
   */
  async apply(dto: CreateApplicationDto): Promise<void> {
    if (dto.courseId !== undefined) {
      // Courses arrive with the courses module; until then no course can be booked.
      throw new InvalidInputError([
        { field: 'courseId', message: 'no course open for booking has this id' },
      ]);
    }
    let email: OutgoingEmail;
    try {
      email = await this.db.transaction((em) => this.applyIn(em, dto));
    } catch (error) {
      // Two submissions with one email raced past the duplicate check; the unique index
      // kept one, and this one becomes the "already applied" case.
      if (!isActiveEmailConflict(error)) {
        throw error;
      }
      email = await this.db.transaction((em) => this.applyIn(em, dto));
    }
    await this.sendAfterCommit(email);
  }

  private async applyIn(em: EntityManager, dto: CreateApplicationDto): Promise<OutgoingEmail> {
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
    return this.emailFor(volunteer, branch, token, 'application-received');
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
