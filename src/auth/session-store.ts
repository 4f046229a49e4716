import session, { type SessionData } from 'express-session';
import type { DataSource, EntityManager } from 'typeorm';

const DAY_MS = 24 * 3600_000;
/**
 * Expired rows are swept by the first write after this long: the table holds about the
 * sessions of the last few hours, whatever the traffic, and a burst of writes costs one
 * sweep, not one each.
 */
const SWEEP_INTERVAL_MS = 60_000;

type Callback = (error?: unknown, value?: SessionData | null) => void;

/**
 * express-session's store over the app's own TypeORM DataSource. connect-pg-simple
 * needs a pg Pool, which cannot reach the embedded database (PGlite runs in process),
 * so this small store talks through the DataSource and works on both databases.
 */
export class DataSourceSessionStore extends session.Store {
  private lastSweep = 0;

  constructor(private readonly db: DataSource) {
    super();
  }

  override get(sid: string, callback: Callback): void {
    this.db
      .query<{ sess: SessionData | string }[]>(
        'SELECT sess FROM http_session WHERE sid = $1 AND expires_at > now()',
        [sid],
      )
      .then(([row]) => callback(null, row ? parse(row.sess) : null), callback);
  }

  override set(sid: string, sess: SessionData, callback?: (error?: unknown) => void): void {
    if (isEmpty(sess)) {
      // A visitor's notice or refused form was shown and taken out: nothing is left to
      // keep, and their next request starts afresh (no row until something is kept).
      return this.destroy(sid, callback);
    }
    const sweep = Date.now() - this.lastSweep >= SWEEP_INTERVAL_MS;
    if (sweep) {
      this.lastSweep = Date.now();
    }
    this.db
      .query(
        `INSERT INTO http_session (sid, sess, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (sid) DO UPDATE SET sess = excluded.sess, expires_at = excluded.expires_at`,
        [sid, JSON.stringify(sess), expiresAt(sess)],
      )
      .then(() =>
        sweep ? this.db.query('DELETE FROM http_session WHERE expires_at <= now()') : null,
      )
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.db.query('DELETE FROM http_session WHERE sid = $1', [sid]).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override touch(sid: string, sess: SessionData, callback?: () => void): void {
    this.db
      .query('UPDATE http_session SET expires_at = $2 WHERE sid = $1', [sid, expiresAt(sess)])
      .then(
        () => callback?.(),
        () => callback?.(),
      );
  }
}

function isEmpty(sess: SessionData): boolean {
  return Object.keys(sess).every((key) => key === 'cookie');
}

function parse(value: SessionData | string): SessionData {
  return typeof value === 'string' ? (JSON.parse(value) as SessionData) : value;
}

function expiresAt(sess: SessionData): Date {
  const expires = sess.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DAY_MS);
}

/**
 * Ends a staff member's page sessions (all but `keepSid`, the one making the change) in
 * the caller's transaction. The user's raised session epoch ends any that come back.
 */
export async function endSessionsOf(
  em: EntityManager,
  userId: string,
  keepSid: string | null,
): Promise<void> {
  await em.query(
    `DELETE FROM http_session WHERE sess->>'userId' = $1 AND sid IS DISTINCT FROM $2`,
    [userId, keepSid],
  );
}
