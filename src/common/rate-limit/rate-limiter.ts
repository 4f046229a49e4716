import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { TooManyRequestsError } from '../errors';
import { hashToken } from '../tokens';
import { redactForLog } from '../log-redaction';

/** A limit: at most `limit` hits per `windowSeconds`; with `blockSeconds`, reaching it blocks that long. */
export interface LimitRule {
  /** Names the counter; two rules with one name share it. */
  name: string;
  limit: number;
  windowSeconds: number;
  blockSeconds?: number;
}

export interface LimitState {
  /** Hits counted in the current window, this one included. */
  hits: number;
  /** Whether this hit is within the limit (and the subject is not blocked). */
  allowed: boolean;
  /** When a refused request may try again, in whole seconds. */
  retryAfterSeconds: number;
}

interface Row {
  hits: number;
  window_left: number;
  blocked_left: number;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Fixed-window counters in PostgreSQL (table `rate_limit`), so every instance on the
 * database counts the same hits. One atomic INSERT … ON CONFLICT DO UPDATE … RETURNING
 * per hit, with the database's clock, so instances with skewed clocks still agree.
 * Subjects (addresses, emails) are stored as unkeyed digests: not in clear, yet guessable
 * back for IPv4 addresses, so the table still counts as personal data.
 *
 * Not rate-limiter-flexible's RateLimiterPostgres: over TypeORM it queries
 * `driver.master`, a pg Pool the embedded database does not have, and it keeps
 * expiry as each instance's own epoch milliseconds.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RateLimiter.name);
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error: unknown) =>
        this.logger.warn(`Pruning rate limits failed: ${redactForLog(String(error))}`),
      );
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Counts one hit of `subject`; beyond the limit, a 429 that says when to try again. */
  async consume(rule: LimitRule, subject: string[]): Promise<void> {
    const { allowed, retryAfterSeconds } = await this.hit(rule, subject);
    if (!allowed) {
      throw new TooManyRequestsError(
        `Too many requests from your address; try again in ${retryAfterSeconds} seconds`,
        retryAfterSeconds,
      );
    }
  }

  /** Counts one hit of `subject` and says whether it is within the limit. */
  async hit(rule: LimitRule, subject: string[], em?: EntityManager): Promise<LimitState> {
    const [row] = await (em ?? this.db).query<Row[]>(
      `INSERT INTO rate_limit AS r (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, now() + $2::int * interval '1 second',
               CASE WHEN $4::int > 0 AND 1 >= $3::int THEN now() + $4::int * interval '1 second' END)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() THEN excluded.window_ends_at
                               ELSE r.window_ends_at END,
         blocked_until = CASE
           WHEN $4::int > 0
                AND (CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END) >= $3::int
             THEN now() + $4::int * interval '1 second'
           WHEN r.blocked_until > now() THEN r.blocked_until
         END
       RETURNING hits, ${SECONDS_LEFT}`,
      [keyOf(rule, subject), rule.windowSeconds, rule.limit, rule.blockSeconds ?? 0],
    );
    return stateOf(row, row.hits <= rule.limit && row.blocked_left === 0);
  }

  /**
   * Whether `subject` may go on, without counting a hit: refused while blocked, or once
   * the window holds `limit` hits (for limits that count failures after the fact).
   */
  async check(rule: LimitRule, subject: string[], em?: EntityManager): Promise<LimitState> {
    const [row] = await (em ?? this.db).query<Row[]>(
      `SELECT hits, ${SECONDS_LEFT} FROM rate_limit
        WHERE key = $1 AND (window_ends_at > now() OR blocked_until > now())`,
      [keyOf(rule, subject)],
    );
    if (!row) {
      return { hits: 0, allowed: true, retryAfterSeconds: 0 };
    }
    const inWindow = row.window_left > 0 ? row.hits : 0;
    return stateOf({ ...row, hits: inWindow }, row.blocked_left === 0 && inWindow < rule.limit);
  }

  /**
   * Forgets the counter of `subject`, and of every longer subject that starts with it
   * (the limit per account and address is cleared by the account alone).
   */
  async reset(rule: LimitRule, subject: string[], em?: EntityManager): Promise<void> {
    const key = keyOf(rule, subject);
    await (em ?? this.db).query(`DELETE FROM rate_limit WHERE key = $1 OR key LIKE $2`, [
      key,
      `${key}:%`,
    ]);
  }

  /** Drops counters whose window and block have both passed. */
  async prune(): Promise<void> {
    await this.db.query(
      `DELETE FROM rate_limit
        WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
    );
  }
}

const SECONDS_LEFT = `
  greatest(0, ceil(extract(epoch FROM window_ends_at - now())))::int AS window_left,
  greatest(0, ceil(extract(epoch FROM coalesce(blocked_until, now()) - now())))::int AS blocked_left`;

function keyOf(rule: LimitRule, subject: string[]): string {
  // An address can be missing (a socket closed early): those share one counter.
  const parts = subject.map((part) => hashToken(String(part ?? '').toLowerCase()).slice(0, 32));
  return [rule.name, ...parts].join(':');
}

function stateOf(row: Row, allowed: boolean): LimitState {
  const wait = row.blocked_left > 0 ? row.blocked_left : row.window_left;
  return { hits: row.hits, allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, wait) };
}
