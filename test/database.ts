import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Databases on the PostgreSQL server named by TEST_DATABASE_URL. globalSetup migrates a
 * template once; every test file then gets its own copy, which takes milliseconds.
 */
export const TEMPLATE_ENV = 'KLAR_TEST_TEMPLATE_DB';
/** The data folder of a migrated embedded database, made once by globalSetup. */
export const EMBEDDED_TEMPLATE_ENV = 'KLAR_TEST_EMBEDDED_TEMPLATE';

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function urlForDatabase(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabaseFromTemplate(template: string): Promise<string> {
  const name = `klar_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
