import { randomBytes } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { migrations } from '../migrations';
import { dataSourceOptions } from '../src/database/data-source';
import { openDataSource } from '../src/database/migrate';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestDatabase } from './app';
import { serverUrl, urlForDatabase, withAdminClient, dropDatabase } from './database';

const onServer = serverUrl() ? describe : describe.skip;

/** An empty database on the test server: no template, no migrations run yet. */
async function freshServerDatabase(): Promise<TestDatabase> {
  const name = `klar_fresh_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'klar-test-'));
  return {
    options: dataSourceOptions({ databaseUrl: urlForDatabase(serverUrl()!, name), dataDir }),
    dataDir,
    dispose: async () => {
      await dropDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

onServer('two instances starting on a fresh database', () => {
  it('should migrate once when two connect at the same moment', async () => {
    const database = await freshServerDatabase();
    try {
      const opened = await Promise.allSettled([
        openDataSource(database.options),
        openDataSource(database.options),
      ]);
      const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      try {
        expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual([
          'ok',
          'ok',
        ]);
        const rows = await dbs[0].query<{ name: string }[]>('SELECT name FROM migrations');
        expect(rows.map((r) => r.name).sort()).toEqual(migrations.map((m) => m.name).sort());
      } finally {
        await Promise.all(dbs.map((db) => db.destroy()));
      }
    } finally {
      await database.dispose();
    }
  });

  it('should start two apps side by side, each with the bootstrap administrator', async () => {
    const database = await freshServerDatabase();
    try {
      const started = await Promise.allSettled([
        createTestApp({ database }),
        createTestApp({ database }),
      ]);
      const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
          'ok',
          'ok',
        ]);
        for (const t of apps) {
          await request(t.http)
            .post('/api/v1/auth/token')
            .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
            .expect(201);
        }
      } finally {
        await Promise.all(apps.map((t) => t.close()));
      }
    } finally {
      await database.dispose();
    }
  });
});
