import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BackgroundRuns } from '../common/background-runs';
import { UnitOfWork } from '../database/unit-of-work';
import type { CreateApplicationDto } from './dto/create-application.dto';
import { PublicRequestHandler } from './public-request.handler';
import { redactForLog } from '../common/log-redaction';

export interface PublicRequests {
  application: CreateApplicationDto;
  portal_link: { email: string };
}

/**
 * How often to look for requests left behind (by a crash, or a failed try). New ones are
 * worked on at once by the instance that took them, so this can be slow.
 */
const POLL_MS = 30_000;

/**
 * A failed try is tried again at once (a race with a concurrent application), then after
 * 30 s, twice as long each time (at most an hour); after this
 * many the request is marked failed and kept, never dropped: its sender was told 202.
 */
const MAX_ATTEMPTS = 8;
const RETRY_BASE_SECONDS = 30;
const RETRY_MAX_SECONDS = 3600;

/**
 * Public requests whose work depends on whether the address is known (an application,
 * a link request) are answered once they are stored here, and worked on right after,
 * by this instance or, after a crash, by whichever instance polls first. So a known and
 * a new address take the same time to answer: the answer comes before the difference.
 */
@Injectable()
export class PublicRequestQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PublicRequestQueue.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private readonly runs = new BackgroundRuns();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly handler: PublicRequestHandler,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Before TypeORM closes the database (in onApplicationShutdown), never after. */
  beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    return this.runs.stop();
  }

  async enqueue<K extends keyof PublicRequests>(kind: K, payload: PublicRequests[K]) {
    await this.db.query(`INSERT INTO public_request (kind, payload) VALUES ($1, $2)`, [
      kind,
      JSON.stringify(payload),
    ]);
    this.kick();
  }

  /** Works through every stored request; resolves when none is left. Also used by tests. */
  drain(): Promise<void> {
    this.again = true;
    this.running ??= this.runs.run(() => this.work()).finally(() => (this.running = undefined));
    return this.running;
  }

  private kick(): void {
    this.drain().catch((error: unknown) =>
      this.logger.error(`Working through public requests failed: ${redactForLog(String(error))}`),
    );
  }

  private schedule(delay: number) {
    if (this.runs.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.drain()
        .catch((error: unknown) =>
          this.logger.error(
            `Working through public requests failed: ${redactForLog(String(error))}`,
          ),
        )
        .finally(() => this.schedule(POLL_MS));
    }, delay);
  }

  private async work(): Promise<void> {
    while (this.again && !this.runs.stopped) {
      this.again = false;
      while (!this.runs.stopped && (await this.processOne())) {
        // one request per transaction, until none is left
      }
    }
  }

  /** Claims, works and deletes one request in one transaction; false when none is left. */
  private async processOne(): Promise<boolean> {
    let claimed: { id: string; attempts: number } | undefined;
    try {
      return await this.uow.run(async (em) => {
        // Wrapped in a SELECT: both drivers then hand back the rows themselves.
        const [row] = await em.query<
          { id: string; kind: keyof PublicRequests; payload: unknown; attempts: number }[]
        >(
          `WITH claimed AS (
             DELETE FROM public_request WHERE id = (
               SELECT id FROM public_request
                WHERE failed_at IS NULL AND available_at <= now()
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED LIMIT 1)
             RETURNING id, kind, payload, attempts)
           SELECT * FROM claimed`,
        );
        if (!row) {
          return false;
        }
        claimed = row;
        if (row.kind === 'application') {
          await this.handler.application(em, row.payload as CreateApplicationDto);
        } else {
          const { email } = row.payload as PublicRequests['portal_link'];
          await this.handler.portalLink(em, email);
        }
        return true;
      });
    } catch (error) {
      if (!claimed) {
        throw error;
      }
      // The delete rolled back with the work: count the try and let the request wait
      // before the next (a duplicate-email race lands here once and succeeds as a
      // repeated application on the next try). The log names the row, never the person.
      const attempts = claimed.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      const waitSeconds =
        attempts === 1 ? 0 : Math.min(RETRY_BASE_SECONDS * 2 ** (attempts - 2), RETRY_MAX_SECONDS);
      await this.db.query(
        `UPDATE public_request
            SET attempts = $2, last_error = $3,
                available_at = now() + $4::int * interval '1 second',
                failed_at = CASE WHEN $5::boolean THEN now() END
          WHERE id = $1`,
        [claimed.id, attempts, String(error).slice(0, 500), waitSeconds, failed],
      );
      const level = failed ? 'error' : 'warn';
      this.logger[level](
        `Public request ${claimed.id} failed (try ${attempts}${failed ? ', giving up' : ''}): ${redactForLog(String(error))}`,
      );
      return true;
    }
  }
}
