import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TIME_ZONE, todayInCopenhagen } from '../common/dates';
import { redactForLog } from '../common/log-redaction';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { dailyPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';
import { ErasureService } from './erasure.service';
import type { Volunteer } from '../volunteers/volunteer.entity';
import { retentionErasureDay } from './retention';

/** At night, Copenhagen time, when nobody is looking at the records. */
export const RETENTION_RUN_AT = { hour: 2, minute: 30 };

/**
 * Storage limitation (GDPR art. 5(1)(e)): declined and withdrawn people are erased
 * RETENTION_CLOSED_MONTHS after the day they closed, by one instance a night
 * (ScheduledRuns), through the same erasure as a request; a start-up catches up a night
 * that was missed, and a run with a failure is tried again ten minutes later.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionScheduler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly erasure: ErasureService,
    private readonly scheduled: ScheduledRuns,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runDue(new Date());
  }

  @Cron('0 30 2 * * *', { name: 'closed-retention', timeZone: TIME_ZONE })
  async nightly(): Promise<void> {
    await this.runDue(new Date());
  }

  @Cron('0 */10 * * * *', { name: 'closed-retention-retry' })
  async retry(): Promise<void> {
    await this.runDue(new Date());
  }

  runDue(now: Date): Promise<TickOutcome> {
    return this.scheduled.tick('closed-retention', dailyPeriodKey(RETENTION_RUN_AT, now), () =>
      this.eraseDue(now),
    );
  }

  /** Erases everyone whose day has come (see retentionErasureDay); returns how many it erased. */
  async eraseDue(now: Date): Promise<number> {
    const due = await this.db.query<{ id: string }[]>(
      `SELECT id FROM volunteer
        WHERE status IN ('declined', 'withdrawn') AND erased_at IS NULL AND closed_at IS NOT NULL
          AND ((closed_at AT TIME ZONE 'Europe/Copenhagen')::date
               + make_interval(months => $1))::date <= $2::date
        ORDER BY closed_at`,
      [this.config.retentionClosedMonths, todayInCopenhagen(now)],
    );
    const today = todayInCopenhagen(now);
    const months = this.config.retentionClosedMonths;
    const stillDue = (v: Volunteer) =>
      v.status !== 'active' &&
      v.closedAt !== null &&
      retentionErasureDay(v.closedAt, months) <= today;
    let failed = 0;
    let erased = 0;
    for (const { id } of due) {
      try {
        erased += (await this.erasure.erase(id, null, 'retention', null, stillDue)) ? 1 : 0;
      } catch (error) {
        failed += 1;
        this.logger.error(
          `Erasing volunteer ${id} at the end of retention failed: ${redactForLog(String(error))}`,
        );
      }
    }
    if (failed > 0) {
      // The claim is given back, so the next tick tries those again.
      throw new Error(`${failed} of ${due.length} volunteer(s) could not be erased`);
    }
    return erased;
  }
}
