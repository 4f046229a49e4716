import { DataSource, type DataSourceOptions, MigrationExecutor } from 'typeorm';

/**
 * Advisory lock keys (class, id) that Klar's instances agree on; the class spells
 * "klar" in ASCII so the locks are recognisable in pg_locks.
 */
const KLAR = 0x6b6c6172;
const MIGRATIONS_LOCK = [KLAR, 1];
const START_UP_LOCK = [KLAR, 2];

/** Whether the DataSource talks to a PostgreSQL server (else the embedded PGlite). */
export function isServer(db: DataSource): boolean {
  return 'url' in db.options && db.options.url !== undefined;
}

/**
 * Connects and brings the schema up to date. Instances starting side by side on a fresh
 * database would each find the migrations pending and run them at once (the loser fails
 * on a duplicate table or key), so the migrations run under a PostgreSQL advisory lock:
 * the first instance migrates, the others wait and then find nothing pending. The lock
 * is taken on the same session that runs the migrations, which on the embedded database
 * (one session, one process) makes it harmless.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const db = new DataSource({ ...options, migrationsRun: false });
  await db.initialize();
  try {
    await runMigrations(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

async function runMigrations(db: DataSource): Promise<void> {
  const runner = db.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', MIGRATIONS_LOCK);
    try {
      const executor = new MigrationExecutor(db, runner);
      executor.transaction = db.options.migrationsTransactionMode ?? 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', MIGRATIONS_LOCK);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs start-up work that reads, then writes (the bootstrap administrator, the demo data)
 * one instance at a time on a server. The embedded database is one process with one
 * session, which the work itself needs, so there it runs as it is.
 */
export async function withStartUpLock<T>(db: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isServer(db)) {
    return work();
  }
  const runner = db.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', START_UP_LOCK);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', START_UP_LOCK);
    }
  } finally {
    await runner.release();
  }
}
