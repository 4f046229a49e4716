import { openDatabase } from '../src/database/data-source';
import { serverUrl, TEMPLATE_ENV, urlForDatabase, withAdminClient } from './database';

/**
 * With TEST_DATABASE_URL, migrates a template database on that server once for the
 * whole run; without it every test file starts its own embedded database instead.
 */
export default async function globalSetup(): Promise<void> {
  const base = serverUrl();
  if (!base) {
    return;
  }
  const template = `klar_template_${process.pid}`;
  await withAdminClient(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const db = await openDatabase({ databaseUrl: urlForDatabase(base, template), dataDir: '' });
  await db.destroy();
  process.env[TEMPLATE_ENV] = template;
}
