import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Injectable, Logger, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BackgroundRuns } from '../common/background-runs';
import { redactForLog } from '../common/log-redaction';

/** What became of one call: this instance did the period's run, or another did (or does). */
export type RunOutcome = 'ran' | 'claimed-elsewhere';
/** What a timer's tick reports: also a failure (logged, claim released) or shutdown. */
export type TickOutcome = RunOutcome | 'failed' | 'stopped';

/**
 * A claim whose instance died mid-run (no finish, no release) is taken over after this
 * long. Every job here takes seconds; a run still going after half an hour is one whose
 * process is gone, and the per-row keys (outbox dedupe key, a stored stage) keep even a
 * taken-over run from mailing anyone twice.
 */
const CLAIM_LEASE_SECONDS = 30 * 60;
/** Finished runs are kept this long, to see what ran when; then they are deleted. */
const KEEP_FINISHED_DAYS = 30;

/**
 * Scheduled work that runs once per period across any number of instances: each
 * instance's timer calls `runOncePer`, and a row in scheduled_run, keyed by job and
 * period, decides which one does the work. Never twice: the claim is
 * `INSERT … ON CONFLICT DO NOTHING`, so a second instance gets no row back. Never
 * skipped: a run that throws deletes its claim, so the next tick (every scheduler ticks
 * every ten minutes) tries again, and a period missed while no instance ran is caught up
 * at start-up or the next tick, since daily keys name the latest period due
 * (period-keys.ts).
 *
 * The work opens its own transactions (a job may take one per volunteer, so one failure
 * stops no one else); it is not run inside the claim's transaction, because the embedded
 * database has one session and a held transaction would block the work's own.
 */
@Injectable()
export class ScheduledRuns implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduledRuns.name);
  private readonly runs = new BackgroundRuns();
  /** Which instance holds a claim: shown in the table, and it lets only the holder finish or release it. */
  readonly instance = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Shutdown starts no run and waits for those in flight, before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  /**
   * `runOncePer` for a timer: a failure is logged with its stack (its claim released, so
   * the next tick retries), not thrown, and nothing starts once shutdown has begun.
   */
  async tick(job: string, periodKey: string, work: () => Promise<unknown>): Promise<TickOutcome> {
    try {
      return (await this.runs.run(() => this.runOncePer(job, periodKey, work))) ?? 'stopped';
    } catch (error) {
      this.logger.error(
        `Scheduled run ${job} ${periodKey} failed: ${redactForLog(String(error))}`,
        error instanceof Error ? redactForLog(error.stack ?? '') : undefined,
      );
      return 'failed';
    }
  }

  /**
   * Runs `work` if no instance has run (or is running) `job` for `periodKey`. A failure
   * releases the claim and is thrown on, for the caller to log.
   */
  async runOncePer(
    job: string,
    periodKey: string,
    work: () => Promise<unknown>,
  ): Promise<RunOutcome> {
    if (!(await this.claim(job, periodKey))) {
      return 'claimed-elsewhere';
    }
    try {
      await work();
    } catch (error) {
      await this.release(job, periodKey).catch((releaseError: unknown) =>
        this.logger.error(
          `Could not release the claim on ${job} ${periodKey}; it is retried after the lease: ${redactForLog(String(releaseError))}`,
        ),
      );
      throw error;
    }
    await this.finish(job, periodKey);
    return 'ran';
  }

  private async claim(job: string, periodKey: string): Promise<boolean> {
    const rows = await this.db.query<{ job: string }[]>(
      `INSERT INTO scheduled_run (job, period_key, instance) VALUES ($1, $2, $3)
       ON CONFLICT (job, period_key) DO UPDATE
          SET instance = EXCLUDED.instance, started_at = now()
        WHERE scheduled_run.finished_at IS NULL
          AND scheduled_run.started_at < now() - make_interval(secs => $4)
       RETURNING job`,
      [job, periodKey, this.instance, CLAIM_LEASE_SECONDS],
    );
    return rows.length === 1;
  }

  private async release(job: string, periodKey: string): Promise<void> {
    await this.db.query(
      `DELETE FROM scheduled_run
        WHERE job = $1 AND period_key = $2 AND instance = $3 AND finished_at IS NULL`,
      [job, periodKey, this.instance],
    );
  }

  private async finish(job: string, periodKey: string): Promise<void> {
    await this.db.query(
      `UPDATE scheduled_run SET finished_at = now()
        WHERE job = $1 AND period_key = $2 AND instance = $3`,
      [job, periodKey, this.instance],
    );
    await this.db.query(
      `DELETE FROM scheduled_run
        WHERE job = $1 AND finished_at < now() - make_interval(days => $2)`,
      [job, KEEP_FINISHED_DAYS],
    );
  }
}

@Module({ providers: [ScheduledRuns], exports: [ScheduledRuns] })
export class SchedulingModule {}
