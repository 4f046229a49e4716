import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Attestation } from '../attestations/attestation.entity';
import { todayInCopenhagen } from '../common/dates';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { type CurriculumSnapshot, CurriculumRepository } from '../courses/curriculum.repository';
import { UnitOfWork } from '../database/unit-of-work';
import { HomeVisit } from '../home-visits/home-visit.entity';
import { EmailNotifications } from '../notifications/email-notifications';
import { Volunteer } from '../volunteers/volunteer.entity';
import { ReadinessRepository } from './readiness.repository';
import {
  assessReadiness,
  deriveStage,
  isExtra,
  type LapseReason,
  matchableUntil as matchableUntilOf,
  Readiness,
  ReadinessRecords,
  Requirement,
  Stage,
} from './readiness';
import { redactForLog } from '../common/log-redaction';

/** What a nightly run did: volunteers due, how many lost the mark, how many failed. */
export interface LapsedRun {
  due: number;
  moved: number;
  failed: number;
}

function lapseReasonOf(requirement: Requirement): LapseReason {
  if (isExtra(requirement)) {
    const { nameDa, nameEn } = requirement.detail;
    return { key: requirement.key, nameDa, nameEn };
  }
  return requirement.key === 'attestation'
    ? `attestation_${requirement.detail.state as 'missing' | 'expired' | 'has_entries'}`
    : requirement.key;
}

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
    private readonly curriculum: CurriculumRepository,
    private readonly uow: UnitOfWork,
    private readonly mail: EmailNotifications,
    private readonly records: ReadinessRepository,
  ) {}

  async assess(
    em: EntityManager,
    volunteer: Volunteer,
    now = new Date(),
    curriculum?: CurriculumSnapshot,
  ): Promise<Readiness> {
    return assessReadiness(await this.loadRecords(em, volunteer, now, curriculum));
  }

  /**
   * The assessment with the visits (by planned time) and certificates (by day received)
   * it was made from, for a caller that shows them too (the volunteer's record), so they
   * are read once.
   */
  async assessShowing(
    em: EntityManager,
    volunteer: Volunteer,
    now = new Date(),
    curriculum?: CurriculumSnapshot,
  ) {
    const shown = await this.visitsAndCertificates(em, volunteer);
    const records = await this.loadRecords(em, volunteer, now, curriculum, shown);
    return { readiness: assessReadiness(records), ...shown };
  }

  /**
   * Re-derives readiness after a change and stores stage and matchableSince when they
   * moved. Call it inside the change's transaction with the volunteer row locked.
   * `notify: false` (an import, which mails nobody unless asked) stores the change
   * without the matchable mails; `curriculum`, read once by a caller that derives many
   * volunteers in one transaction, spares reading it again for each.
   */
  async refresh(
    em: EntityManager,
    volunteer: Volunteer,
    now = new Date(),
    { notify = true, curriculum }: { notify?: boolean; curriculum?: CurriculumSnapshot } = {},
  ): Promise<ReadinessChange> {
    const readiness = await this.assess(em, volunteer, now, curriculum);
    const stage = deriveStage(volunteer.status, readiness);
    const previousSince = volunteer.matchableSince;
    const wasMatchable = previousSince !== null;
    const matchableSince = readiness.matchable ? (volunteer.matchableSince ?? now) : null;
    const matchableUntil = matchableUntilOf(readiness);
    if (
      stage !== volunteer.stage ||
      matchableSince !== volunteer.matchableSince ||
      matchableUntil !== volunteer.matchableUntil
    ) {
      await em.update(Volunteer, { id: volunteer.id }, { stage, matchableSince, matchableUntil });
      volunteer.stage = stage;
      volunteer.matchableSince = matchableSince;
      volunteer.matchableUntil = matchableUntil;
    }
    const change = {
      readiness,
      stage,
      matchableSince,
      becameMatchable: !wasMatchable && readiness.matchable,
      stoppedBeingMatchable: wasMatchable && !readiness.matchable,
    };
    if (change.becameMatchable && notify) {
      await this.mail.becameMatchable(em, {
        volunteerId: volunteer.id,
        matchableSince: matchableSince!,
      });
    }
    if (change.stoppedBeingMatchable && notify) {
      // All were met while matchable, so what is unmet now is what went from met to unmet.
      const reasons: LapseReason[] =
        volunteer.status !== 'active'
          ? ['application_closed']
          : readiness.requirements.filter((r) => !r.met).map(lapseReasonOf);
      await this.mail.noLongerMatchable(em, {
        volunteerId: volunteer.id,
        matchableSince: previousSince!,
        reasons,
      });
    }
    return change;
  }

  /**
   * After a rule changed (the curriculum, the certificate's validity), re-derives every
   * active volunteer whose mark the new rule moves, in the caller's transaction so lists
   * and pages never see the new rule with the old marks. Returns how many changed stage.
   */
  async rederiveAfterRuleChange(em: EntityManager, now = new Date()): Promise<number> {
    let moved = 0;
    for (const id of await this.records.offTheRules(em)) {
      const volunteer = await em.findOneByOrFail(Volunteer, { id });
      const before = volunteer.stage;
      if ((await this.refresh(em, volunteer, now)).stage !== before) {
        moved += 1;
      }
    }
    return moved;
  }

  /**
   * The stored stages were derived with the settings in rule_settings; when the app
   * starts with others (ATTESTATION_VALID_MONTHS), store them and re-derive, in one
   * transaction. Unchanged settings cost one row read. Returns whether they changed.
   */
  async deriveIfRulesChanged(): Promise<boolean> {
    const months = this.config.attestationValidMonths;
    const moved = await this.uow.run(async (em) => {
      const stored = await this.records.lockRuleSettings(em);
      if (stored?.attestationValidMonths === months) {
        return null;
      }
      await this.records.storeRuleSettings(em, months);
      return this.rederiveAfterRuleChange(em);
    });
    if (moved !== null) {
      this.logger.log(
        `Certificates now valid for ${months} months: re-derived readiness, ${moved} volunteer(s) changed stage`,
      );
    }
    return moved !== null;
  }

  /**
   * Time alone ends the mark (a certificate runs out). Lists already read it through
   * volunteer_stage_today(); this stores the new stage and sends the mails, for every
   * volunteer whose mark ran out (or whose newest certificate, by the SQL rule, no longer
   * holds: a stored mark never outlives its certificate), each in its own transaction so
   * one failure stops no one else.
   */
  async refreshLapsed(now = new Date()): Promise<LapsedRun> {
    const due = await this.records.lapsedMarks(this.db.manager);
    const run: LapsedRun = { due: due.length, moved: 0, failed: 0 };
    for (const id of due) {
      try {
        const lost = await this.uow.run(async (em) => {
          const volunteer = await em.findOne(Volunteer, {
            where: { id },
            lock: { mode: 'pessimistic_write' },
          });
          return (
            volunteer !== null && (await this.refresh(em, volunteer, now)).stoppedBeingMatchable
          );
        });
        run.moved += lost ? 1 : 0;
      } catch (error) {
        run.failed += 1;
        this.logger.error(
          `Readiness refresh of volunteer ${id} failed: ${redactForLog(String(error))}`,
          error instanceof Error ? redactForLog(error.stack ?? '') : undefined,
        );
      }
    }
    if (run.due > 0) {
      this.logger.log(
        `Lapsed readiness: ${run.due} due, ${run.moved} no longer matchable, ${run.failed} failed`,
      );
    }
    return run;
  }

  private async visitsAndCertificates(em: EntityManager, volunteer: Volunteer) {
    const homeVisits = await em.find(HomeVisit, {
      where: { volunteerId: volunteer.id },
      order: { scheduledAt: 'ASC' },
    });
    const attestations = await em.find(Attestation, {
      where: { volunteerId: volunteer.id },
      order: { receivedOn: 'ASC' },
    });
    return { homeVisits, attestations };
  }

  private async loadRecords(
    em: EntityManager,
    volunteer: Volunteer,
    now: Date,
    knownCurriculum?: CurriculumSnapshot,
    known?: { homeVisits: HomeVisit[]; attestations: Attestation[] },
  ): Promise<ReadinessRecords> {
    // One connection runs one query at a time, so a transaction's reads go in sequence.
    const { homeVisits, attestations } = known ?? (await this.visitsAndCertificates(em, volunteer));
    const curriculum = knownCurriculum ?? (await this.curriculum.get(em));
    return {
      status: volunteer.status,
      homeVisits,
      attestations,
      attendedSessions: await this.records.attendedSessions(em, volunteer.id),
      priorCompletion: await this.records.priorCompletion(em, volunteer.id),
      curriculum: {
        requiredHours: curriculum.requiredHours,
        mandatoryTopics: curriculum.topics.filter((t) => t.mandatory).map((t) => t.code),
      },
      attestationValidMonths: this.config.attestationValidMonths,
      ...(await this.records.extras(em, volunteer.id)),
      today: todayInCopenhagen(now),
    };
  }
}
