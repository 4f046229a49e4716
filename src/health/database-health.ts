import type { DataSource } from 'typeorm';

/** How long one answer of the database stands for every caller. */
export const HEALTH_CHECK_TTL_MS = 1_000;
/** A database that has not answered `SELECT 1` by then counts as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers, asked at most once per HEALTH_CHECK_TTL_MS however many
 * callers ask: a proxy polling every instance, or a load test, would otherwise send one
 * `SELECT 1` per call and take pool connections from real work. Concurrent callers share
 * the check in flight. A database that hangs (a full pool, a server that stopped
 * answering) counts as down after HEALTH_CHECK_TIMEOUT_MS, so the answer stays prompt,
 * and while its `SELECT 1` hangs no second one joins the queue. A closed DataSource is
 * down at once, whatever was cached.
 */
export class DatabaseHealth {
  private answer?: { up: boolean; at: number };
  private checking?: Promise<boolean>;
  private query?: Promise<boolean>;

  constructor(private readonly db: DataSource) {}

  /** The cached answer while it is fresh; undefined when a check must run. */
  fresh(): boolean | undefined {
    if (!this.db.isInitialized) {
      return false;
    }
    const answer = this.answer;
    return answer && Date.now() - answer.at < HEALTH_CHECK_TTL_MS ? answer.up : undefined;
  }

  /** Never rejects: a failed or hanging check is a database that is down. */
  isUp(): Promise<boolean> {
    return Promise.resolve(this.fresh() ?? (this.checking ??= this.check()));
  }

  private async check(): Promise<boolean> {
    const query = (this.query ??= this.db
      .query('SELECT 1')
      .then(
        () => true,
        () => false,
      )
      .finally(() => (this.query = undefined)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MS);
    });
    try {
      const up = await Promise.race([query, timeout]);
      this.answer = { up, at: Date.now() };
      return up;
    } finally {
      clearTimeout(timer);
      this.checking = undefined;
    }
  }
}
