import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DateTime } from 'luxon';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AttestationsService } from '../attestations/attestations.service';
import { UsersService } from '../auth/users.service';
import { Branch } from '../branches/branch.entity';
import { AttendanceService } from '../courses/attendance.service';
import { BookingsService } from '../courses/bookings.service';
import { CoursesService } from '../courses/courses.service';
import { BranchesService } from '../branches/branches.service';
import { Actor } from '../common/auth/actor';
import { TIME_ZONE } from '../common/dates';
import { hashToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { withStartUpLock } from '../database/migrate';
import { HomeVisitsService } from '../home-visits/home-visits.service';
import { CalendarFeedsService } from '../portal/calendar-feeds.service';
import { PortalToken } from '../portal/portal-token.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import { inTransaction } from '../database/transaction';
import { FIRST_CONSENT_VERSION } from '../privacy/consent';

export const DEMO_PASSWORD = 'klar-demo-2026';
const DEMO_ADMIN = 'admin@klar.local';
const DEMO_COORDINATOR = 'koordinator@klar.local';
/** Demo data only: a known link to one demo volunteer's personal page. */
const DEMO_PORTAL_TOKEN = 'demo-camilla';

const DAY = 24 * 3600_000;

/**
 * Creates the bootstrap administrator, and on the demo database a branch, two staff
 * members and volunteers at different stages, through the same services a coordinator
 * uses (so the audit log and readiness are as real as the rest).
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly branches: BranchesService,
    private readonly homeVisits: HomeVisitsService,
    private readonly attestations: AttestationsService,
    private readonly volunteers: VolunteersService,
    private readonly courses: CoursesService,
    private readonly bookings: BookingsService,
    private readonly attendance: AttendanceService,
    private readonly calendarFeeds: CalendarFeedsService,
  ) {}

  /** One instance at a time: each step looks before it writes. */
  async onApplicationBootstrap(): Promise<void> {
    await withStartUpLock(this.db, async () => {
      await this.users.ensureBootstrapAdmin();
      if (this.config.env === 'production') {
        await this.retireDemoAccess();
      } else if (this.config.seedDemo) {
        await this.seedDemoOnce();
      }
    });
  }

  /**
   * Production never seeds the demo (see loadConfig), but a database that once held it
   * (a demo promoted to a real install) would keep its published password and link:
   * both are taken away at every production start-up.
   */
  private async retireDemoAccess(): Promise<void> {
    await this.db.query('DELETE FROM portal_token WHERE token_hash = $1', [
      hashToken(DEMO_PORTAL_TOKEN),
    ]);
    for (const email of [DEMO_ADMIN, DEMO_COORDINATOR]) {
      if (await this.users.retirePublicPassword(email, DEMO_PASSWORD)) {
        this.logger.warn(
          `The demo account ${email} had the public demo password; it now has none that anyone knows`,
        );
      }
    }
  }

  demoLogins() {
    return this.config.seedDemo
      ? {
          emails: [DEMO_COORDINATOR, DEMO_ADMIN],
          password: DEMO_PASSWORD,
          portalToken: DEMO_PORTAL_TOKEN,
        }
      : null;
  }

  private async seedDemoOnce(): Promise<void> {
    const seeded = await this.db.getRepository(Branch).existsBy({ code: 'koebenhavn' });
    if (seeded) {
      return;
    }
    this.logger.log('Seeding demo data');
    const admin = await this.users.create(null, {
      email: DEMO_ADMIN,
      name: 'Anne Administrator',
      role: 'admin',
      password: DEMO_PASSWORD,
    });
    const system: Actor = { ...admin, branchId: null };
    await this.branches.create(system, {
      code: 'koebenhavn',
      name: 'Home-Start København',
      postcodes: ['1000', '1050', '1100', '2100', '2200', '2300', '2400', '2500'],
    });
    await this.branches.create(system, {
      code: 'aarhus',
      name: 'Home-Start Aarhus',
      postcodes: ['8000', '8200'],
    });
    const coordinator = await this.users.create(system, {
      email: DEMO_COORDINATOR,
      name: 'Karen Koordinator',
      role: 'coordinator',
      branchCode: 'koebenhavn',
      password: DEMO_PASSWORD,
    });
    const actor: Actor = { ...coordinator, branchId: coordinator.branchId };
    const branchId = coordinator.branchId!;

    const anna = await this.volunteer(branchId, 'Anna', 'Jensen', '2200', 10);
    const bo = await this.volunteer(branchId, 'Bo', 'Nielsen', '2300', 6);
    const camilla = await this.volunteer(
      branchId,
      'Camilla',
      'Hansen',
      '2100',
      30,
      DEMO_PORTAL_TOKEN,
    );
    const dorthe = await this.volunteer(branchId, 'Dorthe', 'Larsen', '2400', 25);
    const erik = await this.volunteer(branchId, 'Erik', 'Poulsen', '2500', 20);
    void anna; // stays "applied", waiting for a visit for more than 7 days

    await this.homeVisits.schedule(actor, bo.id, {
      scheduledAt: new Date(Date.now() + 3 * DAY).toISOString(),
    });

    const visit = await this.homeVisits.schedule(actor, camilla.id, {
      scheduledAt: new Date(Date.now() - 20 * DAY).toISOString(),
    });
    await this.homeVisits.recordOutcome(actor, visit.id, {
      outcome: 'approved',
      notes: 'Forstår konceptet og rammerne.',
    });
    await this.attestations.record(actor, camilla.id, {
      requestedOn: isoDate(Date.now() - 18 * DAY),
      receivedOn: isoDate(Date.now() - 10 * DAY),
      result: 'clean',
    });

    const dortheVisit = await this.homeVisits.schedule(actor, dorthe.id, {
      scheduledAt: new Date(Date.now() - 15 * DAY).toISOString(),
    });
    await this.homeVisits.recordOutcome(actor, dortheVisit.id, { outcome: 'approved' });
    await this.attestations.record(actor, dorthe.id, {
      receivedOn: isoDate(Date.now() - 2 * DAY),
      result: 'has_entries',
    });

    await this.volunteers.withdraw(actor, erik.id);

    // A course held last month that Frederik completed (so he is matchable), and the
    // next course, with Camilla booked and seats left.
    const frederik = await this.volunteer(branchId, 'Frederik', 'Madsen', '2200', 60);
    const frederikVisit = await this.homeVisits.schedule(actor, frederik.id, {
      scheduledAt: new Date(Date.now() - 50 * DAY).toISOString(),
    });
    await this.homeVisits.recordOutcome(actor, frederikVisit.id, { outcome: 'approved' });
    await this.attestations.record(actor, frederik.id, {
      receivedOn: isoDate(Date.now() - 40 * DAY),
      result: 'clean',
    });
    const held = await this.courses.create(actor, {
      branchCode: 'koebenhavn',
      title: 'Forberedende kursus (efterår)',
      capacity: 12,
      sessions: courseSessions(-35),
    });
    await this.bookings.book({ kind: 'staff', actor }, held.summary.id, frederik.id);
    for (const session of held.sessions) {
      await this.attendance.record(actor, session.id, {
        records: [{ volunteerId: frederik.id, present: true }],
      });
    }
    const next = await this.courses.create(actor, {
      branchCode: 'koebenhavn',
      title: 'Forberedende kursus (vinter)',
      capacity: 12,
      sessions: courseSessions(14),
    });
    await this.bookings.book({ kind: 'volunteer' }, next.summary.id, camilla.id);
  }

  private async volunteer(
    branchId: string,
    firstName: string,
    lastName: string,
    postcode: string,
    daysAgo: number,
    portalToken?: string,
  ): Promise<Volunteer> {
    return inTransaction(this.db, async (em) => {
      const appliedAt = new Date(Date.now() - daysAgo * DAY);
      const volunteer = await em.save(
        em.create(Volunteer, {
          branchId,
          firstName,
          lastName,
          email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.org`,
          phone: '+45 12 34 56 78',
          postcode,
          motivation: 'Jeg vil gerne gøre en forskel for en familie med små børn.',
          experience: null,
          availability: ['weekday_evening', 'weekend'],
          languages: ['da', 'en'],
          locale: 'da',
          consentAt: appliedAt,
          consentTextVersion: FIRST_CONSENT_VERSION,
          consentSource: 'application',
          status: 'active',
          stage: 'applied',
          matchableSince: null,
          closedAt: null,
          createdAt: appliedAt,
        }),
      );
      if (portalToken) {
        await em.insert(PortalToken, {
          volunteerId: volunteer.id,
          tokenHash: hashToken(portalToken),
        });
        await this.calendarFeeds.open(em, volunteer.id, portalToken);
      }
      return volunteer;
    });
  }
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Four weekly 5-hour sessions, 16:00-21:00 Copenhagen, the first `fromDays` days from now. */
function courseSessions(fromDays: number) {
  const topics = [
    ['frameworks', 'relations'],
    ['boundaries', 'diverse_families'],
    ['uncrc'],
    ['child_safety'],
  ];
  return topics.map((sessionTopics, week) => {
    const start = DateTime.now()
      .setZone(TIME_ZONE)
      .plus({ days: fromDays + week * 7 })
      .set({ hour: 16, minute: 0, second: 0, millisecond: 0 });
    return {
      startsAt: start.toISO()!,
      endsAt: start.plus({ hours: 5 }).toISO()!,
      location: 'Frivillighuset, Nørrebrogade 52, København N',
      topics: sessionTopics,
    };
  });
}
