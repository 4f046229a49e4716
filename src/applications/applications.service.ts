import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type BranchRoute, BranchesService } from '../branches/branches.service';
import { InvalidInputError } from '../common/errors';
import { type LimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { BookingsService } from '../courses/bookings.service';
import type { CreateApplicationDto } from './dto/create-application.dto';
import { applyPerClient, linkRequestsPerClient } from './limits';
import { PublicRequestQueue } from './public-request.queue';

export const APPLICATION_ACCEPTED =
  'Tak! Vi har modtaget din ansøgning og sendt dig en e-mail med et link til din personlige side. / Thank you! We have received your application and emailed you a link to your personal page.';

export const NO_BRANCH_FOR_POSTCODE = 'no branch covers this postcode';

export const LINK_REQUESTED =
  'Hvis adressen hører til en ansøgning hos os, har vi sendt et link til den. / If the address belongs to an application with us, we have sent a link to it.';

/**
 * The public intake: applications and requests for a personal link. Each answer is the
 * same whoever the address belongs to, in what it says and in how long it takes: the
 * request is checked only on what does not depend on the address, stored, answered, and
 * worked on right after (PublicRequestQueue, PublicRequestHandler).
 */
@Injectable()
export class ApplicationsService {
  private readonly perClient: LimitRule;
  private readonly linksPerClient: LimitRule;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly bookings: BookingsService,
    private readonly queue: PublicRequestQueue,
    private readonly branches: BranchesService,
  ) {
    this.perClient = applyPerClient(config.applyLimitPerClient);
    this.linksPerClient = linkRequestsPerClient(config.applyLimitPerClient);
  }

  /**
   * Takes an application from the public form. A person with an application in progress
   * gets their link again instead of a second application (at most once an hour), and
   * the answer is the same either way. The branch and the chosen course are checked
   * before the address is looked at, so a bad course is a 400 for everyone. Returns
   * the branch that will contact the applicant (it depends only on the form).
   */
  async apply(dto: CreateApplicationDto, client: string): Promise<BranchRoute> {
    await this.limiter.consume(this.perClient, [client]);
    const route = await this.branches.route(dto.branchCode, dto.postcode);
    if (!route) {
      throw new InvalidInputError([
        dto.branchCode === undefined
          ? { field: 'postcode', code: 'noBranchForPostcode', message: NO_BRANCH_FOR_POSTCODE }
          : { field: 'branchCode', code: 'unknownBranch', message: 'no branch has this code' },
      ]);
    }
    if (dto.courseId !== undefined) {
      const problem = await this.bookings.applicantCourseProblem(dto.courseId, route.branch.id);
      if (problem) {
        throw new InvalidInputError([
          { field: 'courseId', code: 'courseNotBookable', message: problem },
        ]);
      }
    }
    // The branch is settled here, so the work queued behind the answer and the answer
    // itself (which names the branch) agree.
    await this.queue.enqueue('application', { ...dto, branchCode: route.branch.code });
    return route;
  }

  /** "Send mig mit link igen": a fresh link to a known address; the same answer for any. */
  async requestLink(email: string, client: string): Promise<void> {
    await this.limiter.consume(this.linksPerClient, [client]);
    await this.queue.enqueue('portal_link', { email });
  }
}
