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

/**
 * Certificates expire without anyone writing anything, so readiness is re-derived every
 * night and once at start-up (which also catches up after downtime). Running it on
 * several instances at once is harmless: each volunteer is re-derived under a row lock.
 */
@Injectable()
export class ReadinessScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadinessScheduler.name);
  private readonly runs = new BackgroundRuns();

  constructor(private readonly readiness: ReadinessService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  @Cron('0 15 3 * * *', { name: 'readiness-refresh', timeZone: TIME_ZONE })
  async refresh(): Promise<void> {
    try {
      await this.runs.run(() => this.readiness.refreshLapsed());
    } catch (error) {
      this.logger.error(`Nightly readiness refresh failed: ${String(error)}`);
    }
  }
}
