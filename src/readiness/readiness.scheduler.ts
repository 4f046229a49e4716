import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { BackgroundRuns } from '../common/background-runs';
import { TIME_ZONE } from '../common/dates';
import { ReadinessService } from './readiness.service';
import { redactForLog } from '../common/log-redaction';

/**
 * Lists read "matchable today" in SQL, so nothing waits for this job to be right; it
 * stores the stage of volunteers whose certificate ran out and sends their mails, just
 * after midnight in Copenhagen (the day the certificate is no longer valid) and at
 * start-up (catching up after downtime). At start-up it first re-derives everyone a
 * changed rule setting moves. Several instances at once are harmless: each volunteer is
 * re-derived under a row lock, and the settings row is locked while compared.
 */
@Injectable()
export class ReadinessScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadinessScheduler.name);
  private readonly runs = new BackgroundRuns();

  constructor(private readonly readiness: ReadinessService) {}

  /**
   * A failed re-derivation stops the start: the app would judge certificates by the new
   * validity while the lists (rule_settings) still used the old one.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.runs.run(() => this.readiness.deriveIfRulesChanged());
    await this.refresh();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  @Cron('0 1 0 * * *', { name: 'readiness-refresh', timeZone: TIME_ZONE })
  async refresh(): Promise<void> {
    try {
      await this.runs.run(() => this.readiness.refreshLapsed());
    } catch (error) {
      this.logger.error(
        `Nightly readiness refresh failed: ${redactForLog(String(error))}`,
        error instanceof Error ? redactForLog(error.stack ?? '') : undefined,
      );
    }
  }
}
