import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import { BranchesService } from '../branches/branches.service';
import { ConflictError, NotFoundError } from '../common/errors';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { BookingsService } from '../courses/bookings.service';
import { EmailNotifications } from '../notifications/email-notifications';
import { PortalLinks } from '../portal/portal-links';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersRepository } from '../volunteers/volunteers.repository';
import type { CreateApplicationDto } from './dto/create-application.dto';
import { RESEND_PER_ADDRESS } from './limits';
import { CONSENT_VERSION, keepCurrentConsentText } from '../privacy/consent';

/**
 * The work behind a public request, done after the request was answered (see
 * PublicRequestQueue): whether the address is known decides only what happens here.
 */
@Injectable()
export class PublicRequestHandler {
  private readonly logger = new Logger(PublicRequestHandler.name);

  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly audit: AuditService,
    private readonly bookings: BookingsService,
    private readonly portalLinks: PortalLinks,
    private readonly limiter: RateLimiter,
    private readonly mail: EmailNotifications,
    private readonly branches: BranchesService,
  ) {}

  /**
   * A new application, or for a person with one in progress their link again, at most
   * once an hour per address (the answer was the same 202 either way).
   */
  async application(em: EntityManager, dto: CreateApplicationDto) {
    const existing = await this.volunteers.findActiveByEmail(em, dto.email);
    if (existing) {
      await this.resendLink(em, existing.id, dto.email, 'application-repeated');
      return;
    }
    // FOR SHARE: a deactivation waits for this application, or this one sees it and goes
    // where the postcode (or the fallback) sends it instead.
    const chosen =
      dto.branchCode === undefined
        ? null
        : await em.findOne(Branch, {
            where: { code: dto.branchCode, active: true },
            lock: { mode: 'pessimistic_read' },
          });
    const branch = chosen ?? (await this.branches.route(undefined, dto.postcode, em))?.branch;
    if (!branch) {
      // Checked when the request was taken; with no branch left to take it there is no one to tell.
      this.logger.warn('An application for a branch that is no longer active was dropped');
      return;
    }
    await keepCurrentConsentText(em);
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
        // The text the form shows is the one in the code that takes the application.
        consentTextVersion: CONSENT_VERSION,
        consentSource: 'application',
        status: 'active',
        stage: 'applied',
        matchableSince: null,
        closedAt: null,
      }),
    );
    const portalToken = await this.portalLinks.mint(em, volunteer.id);
    await this.audit.record(em, null, {
      action: 'application.received',
      branchId: branch.id,
      volunteerId: volunteer.id,
    });
    // Queued before the booking, so the welcome mail goes ahead of the booking's.
    await this.mail.applicationReceived(em, { volunteerId: volunteer.id, portalToken });
    if (dto.courseId !== undefined) {
      await this.bookChosenCourse(em, dto.courseId, volunteer.id);
    }
  }

  /** "Send mig mit link igen": a fresh link to a known address, silently limited. */
  async portalLink(em: EntityManager, email: string) {
    const existing = await this.volunteers.findActiveByEmail(em, email);
    if (existing) {
      await this.resendLink(em, existing.id, email, 'link-requested');
    }
  }

  private async resendLink(
    em: EntityManager,
    volunteerId: string,
    email: string,
    why: 'application-repeated' | 'link-requested',
  ) {
    const { allowed } = await this.limiter.hit(RESEND_PER_ADDRESS, [email], em);
    if (!allowed) {
      return;
    }
    const portalToken = await this.portalLinks.mint(em, volunteerId);
    if (why === 'application-repeated') {
      await this.mail.applicationRepeated(em, { volunteerId, portalToken });
    } else {
      await this.mail.portalLinkRequested(em, { volunteerId, portalToken });
    }
  }

  /**
   * The course was open when the request was taken; one that started or was cancelled
   * in the moment since is skipped rather than losing the application.
   */
  private async bookChosenCourse(em: EntityManager, courseId: string, volunteerId: string) {
    try {
      await em.query('SAVEPOINT chosen_course');
      await this.bookings.bookIn(em, { kind: 'volunteer' }, courseId, volunteerId);
      await em.query('RELEASE SAVEPOINT chosen_course');
    } catch (error) {
      if (!(error instanceof NotFoundError || error instanceof ConflictError)) {
        throw error;
      }
      await em.query('ROLLBACK TO SAVEPOINT chosen_course');
      this.logger.warn(`The course chosen on an application could not be booked: ${error.code}`);
    }
  }
}
