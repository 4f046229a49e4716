import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Attestation } from '../attestations/attestation.entity';
import { todayInCopenhagen } from '../common/dates';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CurriculumService } from '../courses/curriculum.service';
import { UnitOfWork } from '../database/unit-of-work';
import { HomeVisit } from '../home-visits/home-visit.entity';
import { EmailNotifications } from '../notifications/email-notifications';
import { Volunteer } from '../volunteers/volunteer.entity';
import { ReadinessRepository } from './readiness.repository';
import { assessReadiness, deriveStage, Readiness, ReadinessRecords, Stage } from './readiness';

export interface ReadinessChange {
  readiness: Readiness;
  stage: Stage;
  matchableSince: Date | null;
  becameMatchable: boolean;
  stoppedBeingMatchable: boolean;
}

/**
 * Loads a volunteer's records for the pure readiness rules and keeps the stored stage and
 * `matchableSince` in step, inside the transaction of the change that moved them.
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger(ReadinessService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly curriculum: CurriculumService,
    private readonly uow: UnitOfWork,
    private readonly mail: EmailNotifications,
    private readonly records: ReadinessRepository,
  ) {}

  async assess(em: EntityManager, volunteer: Volunteer, now = new Date()): Promise<Readiness> {
    return assessReadiness(await this.loadRecords(em, volunteer, now));
  }

  /**
   * Re-derives readiness after a change and stores stage and matchableSince when they
   * moved; gaining or losing the matchable mark mails the volunteer and the branch's
   * coordinators. Call it inside the change's transaction with the volunteer row locked.
   */
  async refresh(
    em: EntityManager,
    volunteer: Volunteer,
    now = new Date(),
  ): Promise<ReadinessChange> {
    const readiness = await this.assess(em, volunteer, now);
    const stage = deriveStage(volunteer.status, readiness);
    const previousSince = volunteer.matchableSince;
    const wasMatchable = previousSince !== null;
    const matchableSince = readiness.matchable ? (volunteer.matchableSince ?? now) : null;
    if (stage !== volunteer.stage || matchableSince !== volunteer.matchableSince) {
      await em.update(Volunteer, { id: volunteer.id }, { stage, matchableSince });
      volunteer.stage = stage;
      volunteer.matchableSince = matchableSince;
    }
    const change = {
      readiness,
      stage,
      matchableSince,
      becameMatchable: !wasMatchable && readiness.matchable,
      stoppedBeingMatchable: wasMatchable && !readiness.matchable,
    };
    if (change.becameMatchable) {
      await this.mail.becameMatchable(em, {
        volunteerId: volunteer.id,
        matchableSince: matchableSince!,
      });
    }
    if (change.stoppedBeingMatchable) {
      await this.mail.noLongerMatchable(em, {
        volunteerId: volunteer.id,
        matchableSince: previousSince!,
      });
    }
    return change;
  }

  /**
   * Time alone can end readiness (a certificate expires without anyone writing), so the
   * stored stage of matchable volunteers is re-derived regularly. Returns how many moved.
   */
  async refreshLapsed(now = new Date()): Promise<number> {
    const ids: { id: string }[] = await this.db.query(
      `SELECT id FROM volunteer WHERE stage = 'matchable'`,
    );
    let moved = 0;
    for (const { id } of ids) {
      await this.uow.run(async (em) => {
        const volunteer = await em.findOne(Volunteer, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        if (volunteer && (await this.refresh(em, volunteer, now)).stoppedBeingMatchable) {
          moved += 1;
        }
      });
    }
    if (moved > 0) {
      this.logger.log(`${moved} volunteer(s) are no longer matchable`);
    }
    return moved;
  }

  private async loadRecords(
    em: EntityManager,
    volunteer: Volunteer,
    now: Date,
  ): Promise<ReadinessRecords> {
    // One connection runs one query at a time, so a transaction's reads go in sequence.
    const homeVisits = await em.find(HomeVisit, { where: { volunteerId: volunteer.id } });
    const attestations = await em.find(Attestation, { where: { volunteerId: volunteer.id } });
    const curriculum = await this.curriculum.get(em);
    return {
      status: volunteer.status,
      homeVisits,
      attestations,
      attendedSessions: await this.records.attendedSessions(em, volunteer.id),
      curriculum: {
        requiredHours: curriculum.requiredHours,
        mandatoryTopics: curriculum.topics.filter((t) => t.mandatory).map((t) => t.code),
      },
      attestationValidMonths: this.config.attestationValidMonths,
      today: todayInCopenhagen(now),
    };
  }
}
