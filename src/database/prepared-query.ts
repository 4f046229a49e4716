import type { DataSource } from 'typeorm';
import { isServer } from './migrate';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hot query as a named prepared statement on a PostgreSQL server, so it is parsed
 * once per connection and its plan can be reused (planning is most of the cost of a
 * small many-join query). TypeORM has no prepared statements, so this goes to the pg
 * pool underneath it, logging through TypeORM's logger all the same. The embedded
 * database runs it as an ordinary query.
 */
export async function preparedQuery<T>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (db.driver as unknown as { master?: Partial<PgPool> }).master;
  if (!isServer(db) || typeof pool?.query !== 'function') {
    return db.query<T[]>(text, values);
  }
  db.logger.logQuery(text, values);
  const result = await (pool as PgPool).query({ name, text, values });
  return result.rows as T[];
}
