import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/database/data-source';
import {
  EMBEDDED_TEMPLATE_ENV,
  serverUrl,
  TEMPLATE_ENV,
  urlForDatabase,
  withAdminClient,
} from './database';

/**
 * Migrates a template database once for the whole run: on the server in
 * TEST_DATABASE_URL, and always an embedded one, which test files copy as a folder.
 * Migrating PGlite afresh for every file made the suite slow enough on a busy machine
 * for its start-up to run into the hook timeout.
 */
export default async function globalSetup(): Promise<void> {
  const embedded = mkdtempSync(join(tmpdir(), 'klar-template-'));
  await (await openDatabase({ dataDir: embedded })).destroy(); // runs the migrations
  process.env[EMBEDDED_TEMPLATE_ENV] = embedded;

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
