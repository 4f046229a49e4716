import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Mutex, withTimeout, E_TIMEOUT } from 'async-mutex';

/**
 * A `pg`-compatible driver over PGlite, handed to TypeORM's postgres dialect.
 *
 * PGlite is one single-session PostgreSQL. typeorm-pglite hands that one session to every
 * query runner at once, so two concurrent transactions would interleave their statements
 * (and its instance is a process-wide singleton, which rules out two databases in one
 * process, as the restart test needs). Here a query runner holds the session exclusively
 * from connect until release, which makes concurrent requests queue as they would for the
 * last free connection of a pool of one.
 */
export function createEmbeddedDriver(dataDir: string | undefined) {
  let instance: Promise<PGlite> | undefined;
  // A request that holds the session and asks for a second one would wait forever;
  // the timeout turns that programming error into a failure with a message.
  const session = withTimeout(new Mutex(), 30_000);

  const open = () => {
    if (!instance) {
      if (dataDir) {
        mkdirSync(dataDir, { recursive: true });
      }
      instance = PGlite.create(dataDir ? { dataDir } : {});
    }
    return instance;
  };

  class EmbeddedClient extends EventEmitter {
    async query(text: string, params?: unknown[]) {
      const db = await open();
      if (params && params.length > 0) {
        return db.query(text, params);
      }
      // Without parameters a string may hold several statements (migrations do);
      // TypeORM expects the result of the last one.
      const results = await db.exec(text);
      return results[results.length - 1] ?? { rows: [], rowCount: 0, fields: [] };
    }
  }

  class EmbeddedPool extends EventEmitter {
    private readonly client = new EmbeddedClient();

    connect(
      callback: (
        err: Error | null,
        client?: EmbeddedClient,
        release?: (err?: Error) => void,
      ) => void,
    ): void {
      session
        .acquire()
        .then(async (releaseSession) => {
          try {
            await open();
          } catch (error) {
            releaseSession();
            throw error;
          }
          let released = false;
          callback(null, this.client, () => {
            if (!released) {
              released = true;
              releaseSession();
            }
          });
        })
        .catch((error: unknown) => {
          const message =
            error === E_TIMEOUT
              ? 'Embedded database: waited 30 s for the session; is a connection held while another is requested?'
              : String(error);
          callback(error instanceof Error && error !== E_TIMEOUT ? error : new Error(message));
        });
    }

    end(callback?: (err?: Error) => void): void {
      const closing = instance ? instance.then((db) => db.close()) : Promise.resolve();
      instance = undefined;
      closing.then(
        () => callback?.(),
        (error: Error) => callback?.(error),
      );
    }
  }

  return { Pool: EmbeddedPool };
}
