import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BackgroundRuns } from '../common/background-runs';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { redactForLog } from '../common/log-redaction';
import { MailerService } from './mailer.service';
import { OutboxService } from './outbox.service';

const BATCH = 20;

/**
 * Sends queued mail: claims due rows, sends each, marks it sent or schedules a retry.
 * Runs in every instance that has OUTBOX_WORKER on (the default); claims keep them from
 * sending a message twice. Rows left by a crash go out on the next start.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly runs = new BackgroundRuns();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly mailer: MailerService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outbox.worker) {
      this.schedule(0);
    }
  }

  /** Before TypeORM closes the database (in onApplicationShutdown), never after. */
  beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    return this.runs.stop();
  }

  /**
   * Sends everything due now and returns how many were sent; while a run is in flight,
   * returns that run instead of starting a second. Also used by tests.
   */
  drain(): Promise<number> {
    this.running ??= this.runs
      .run(() => this.sendDue())
      .then((sent) => sent ?? 0)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delay: number) {
    if (this.runs.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.drain()
        .catch((error: unknown) =>
          this.logger.error(redactForLog(`Outbox run failed: ${String(error)}`)),
        )
        .finally(() => this.schedule(this.config.outbox.pollMs));
    }, delay);
  }

  private async sendDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.outbox.claimDue(BATCH);
      for (const message of batch) {
        try {
          await this.mailer.send(message);
          await this.outbox.markSent(message.id);
          sent += 1;
        } catch (error) {
          const status = await this.outbox.markFailed(message, String(error));
          const level = status === 'failed' ? 'error' : 'warn';
          this.logger[level](
            redactForLog(
              `Mail ${message.id} (${message.template}), attempt ${message.attempts}: ${String(error)}`,
            ),
          );
        }
      }
      if (batch.length < BATCH || this.runs.stopped) {
        return sent;
      }
    }
  }
}
