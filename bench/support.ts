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
import { hashToken } from '../src/common/tokens';
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

export type BenchApp = Awaited<ReturnType<typeof startBenchApp>>;

/**
 * A volunteer of branch `bench` booked on a 10-session course (weekly from a month
 * ahead), with a personal link written directly (a bench needs no mail); returns the
 * path of their calendar feed, made live the way the volunteer makes it.
 */
export async function benchVolunteerFeed(app: BenchApp): Promise<string> {
  const portalToken = 'bench-volunteer-personal-link-token';
  await app.call('POST', '/api/v1/branches', { code: 'bench', name: 'Bench' }, app.adminToken);
  const start = Date.now() + 30 * 24 * 3600_000;
  const topics = ['frameworks', 'relations', 'boundaries', 'diverse_families', 'uncrc'];
  const sessions = Array.from({ length: 10 }, (_, i) => ({
    startsAt: new Date(start + i * 7 * 24 * 3600_000).toISOString(),
    endsAt: new Date(start + i * 7 * 24 * 3600_000 + 2 * 3600_000).toISOString(),
    location: 'Frivillighuset',
    topics: [topics[i % topics.length], 'child_safety'],
  }));
  const course = await app.call<{ id: string }>(
    'POST',
    '/api/v1/courses',
    { branchCode: 'bench', title: 'Benchkursus', capacity: 20, sessions },
    app.adminToken,
  );
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  try {
    const [{ id }] = (
      await db.query<{ id: string }>(
        `INSERT INTO volunteer (branch_id, first_name, last_name, email, phone, postcode, motivation, consent_at)
         SELECT id, 'Bench', 'Volunteer', 'bench.volunteer@bench.klar', '12345678', '8000', 'm', now()
           FROM branch WHERE code = 'bench' RETURNING id`,
      )
    ).rows;
    await db.query('INSERT INTO portal_token (volunteer_id, token_hash) VALUES ($1, $2)', [
      id,
      hashToken(portalToken),
    ]);
    await app.call(
      'POST',
      `/api/v1/courses/${course.id}/bookings`,
      { volunteerId: id },
      app.adminToken,
    );
  } finally {
    await db.end();
  }
  const feed = await app.call<{ calendarUrl: string }>(
    'POST',
    '/api/v1/me/calendar-link',
    undefined,
    portalToken,
  );
  return feed.calendarUrl;
}

/** Signs in on the login page as a browser does; answers the session cookie. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) {
    throw new Error('No CSRF token on the login page');
  }
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, email, password, next: '/staff' }).toString(),
  });
  const signedIn = res.headers.getSetCookie().find((c) => c.startsWith('klar.sid='));
  if (res.status !== 303 || res.headers.get('location') !== '/staff' || !signedIn) {
    throw new Error(`Sign-in as ${email} failed: ${res.status}`);
  }
  return signedIn.split(';')[0];
}
