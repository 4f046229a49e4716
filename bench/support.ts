import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/env';
import { dataSourceOptions } from '../src/database/data-source';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_ADMIN = { email: 'bench@klar.local', password: 'bench-password-1' };

async function onServer(sql: string) {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The app on a fresh database of the local PostgreSQL server, listening on loopback;
 * `stop()` closes it and drops the database.
 */
export async function startBenchApp(database: string, env: Record<string, string> = {}) {
  await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'klar-bench-')),
    SEED_DEMO: 'false',
    NODE_ENV: 'production',
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.create(config, dataSourceOptions(config)),
    {
      bodyParser: false,
      logger: ['error'],
    },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 400) {
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    }
    return (await res.json()) as T;
  };
  const { token: adminToken } = await call<{ token: string }>(
    'POST',
    '/api/v1/auth/token',
    BENCH_ADMIN,
  );

  return {
    app,
    base,
    databaseUrl: url.toString(),
    call,
    adminToken,
    stop: async () => {
      await app.close();
      if (!process.env.BENCH_KEEP_DATABASE) {
        await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
    },
  };
}
