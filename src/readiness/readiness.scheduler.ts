import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { BackgroundRuns } from '../common/background-runs';
import { TIME_ZONE } from '../common/dates';
import { dailyPeriodKey } from '../scheduling/period-keys';
import { ScheduledRuns, type TickOutcome } from '../scheduling/scheduled-runs';
import { ReadinessService } from './readiness.service';

/** Just after midnight in Copenhagen: the first day a certificate is no longer valid. */
export const READINESS_REFRESH_AT = { hour: 0, minute: 1 };

/**
 * Lists read "matchable today" in SQL, so nothing waits for this job to be right; it
 * stores the stage of volunteers whose certificate ran out and sends their mails, once a
 * day across all instances (ScheduledRuns), just after midnight and at start-up if that
 * day's run is missing (catching up after downtime). At start-up it first re-derives
 * everyone a changed rule setting moves; every instance does that, harmlessly: each
 * volunteer is re-derived under a row lock, and the settings row is locked while compared.
 */
@Injectable()
export class ReadinessScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runs = new BackgroundRuns();

  constructor(
    private readonly readiness: ReadinessService,
    private readonly scheduled: ScheduledRuns,
  ) {}

  /**
   * A failed re-derivation stops the start: the app would judge certificates by the new
   * validity while the lists (rule_settings) still used the old one.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.runs.run(() => this.readiness.deriveIfRulesChanged());
    await this.runDue(new Date());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  @Cron('0 1 0 * * *', { name: 'readiness-refresh', timeZone: TIME_ZONE })
  async refresh(): Promise<void> {
    await this.runDue(new Date());
  }

  /** A failed run (or a volunteer's) is tried again ten minutes later, until the day's run is done. */
  @Cron('0 */10 * * * *', { name: 'readiness-refresh-retry' })
  async retry(): Promise<void> {
    await this.runDue(new Date());
  }

  /**
   * The day's refresh, unless an instance did it. A volunteer whose refresh failed makes
   * the whole run count as failed, so it is run again (the others are no longer due then).
   */
  runDue(now: Date): Promise<TickOutcome> {
    return this.scheduled.tick(
      'readiness-refresh',
      dailyPeriodKey(READINESS_REFRESH_AT, now),
      async () => {
        const run = await this.readiness.refreshLapsed(now);
        if (run.failed > 0) {
          throw new Error(`${run.failed} of ${run.due} volunteer(s) could not be refreshed`);
        }
      },
    );
  }
}
