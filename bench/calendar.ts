/**
 * Requests per second of a volunteer's calendar feed (10 booked sessions) next to the
 * trivial /health of the same app, with autocannon, on the local PostgreSQL server.
 * Target: the feed at least half the trivial route's rate.
 *
 *   npm run bench:calendar
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { hashToken } from '../src/common/tokens';
import { startBenchApp } from './support';

const run = promisify(execFile);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORTAL_TOKEN = 'bench-volunteer-personal-link-token';

/** autocannon in its own process, so the load it makes does not eat the app's CPU. */
async function rate(url: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [
      require.resolve('autocannon/autocannon.js'),
      '--json',
      '-c',
      '10',
      '-d',
      String(DURATION_SECONDS),
      url,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    non2xx: number;
    errors: number;
    requests: { average: number };
  };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return result.requests.average;
}

async function main() {
  const app = await startBenchApp('klar_bench_calendar');
  try {
    await app.call(
      'POST',
      '/api/v1/branches',
      { code: 'bench', name: 'Home-Start Bench' },
      app.adminToken,
    );
    const start = Date.UTC(2027, 2, 1, 16);
    const sessions = Array.from({ length: 10 }, (_, i) => ({
      startsAt: new Date(start + i * 7 * 24 * 3600_000).toISOString(),
      endsAt: new Date(start + i * 7 * 24 * 3600_000 + 2 * 3600_000).toISOString(),
      location: 'Frivillighuset',
      topics: [
        ['frameworks', 'relations', 'boundaries', 'diverse_families', 'uncrc', 'child_safety'][
          i % 6
        ],
      ],
    }));
    const course = await app.call<{ id: string }>(
      'POST',
      '/api/v1/courses',
      { branchCode: 'bench', title: 'Benchkursus', capacity: 20, sessions },
      app.adminToken,
    );
    // A volunteer with a known personal link, written directly: the bench needs no mail.
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const [{ id }] = (
      await db.query<{ id: string }>(
        `INSERT INTO volunteer (branch_id, first_name, last_name, email, phone, postcode, motivation, consent_at)
         SELECT id, 'Bench', 'Volunteer', 'bench.volunteer@bench.klar', '12345678', '8000', 'm', now()
           FROM branch WHERE code = 'bench' RETURNING id`,
      )
    ).rows;
    await db.query('INSERT INTO portal_token (volunteer_id, token_hash) VALUES ($1, $2)', [
      id,
      hashToken(PORTAL_TOKEN),
    ]);
    await db.end();
    await app.call(
      'POST',
      `/api/v1/courses/${course.id}/bookings`,
      { volunteerId: id },
      app.adminToken,
    );
    const me = await app.call<{ calendarUrl: string }>(
      'GET',
      '/api/v1/me',
      undefined,
      PORTAL_TOKEN,
    );

    const feed = `${app.base}${me.calendarUrl}`;
    const ics = await (await fetch(feed)).text();
    const events = ics.split('BEGIN:VEVENT').length - 1;
    if (events !== 10) {
      throw new Error(`expected 10 events in the feed, got ${events}`);
    }
    await rate(`${app.base}/health`); // warm-up
    const health = await rate(`${app.base}/health`);
    const calendar = await rate(feed);
    console.log(`/health                         ${health.toFixed(0)} req/s`);
    console.log(`/calendar/{token}.ics (10 sess.) ${calendar.toFixed(0)} req/s`);
    console.log(
      `ratio feed / health             ${(calendar / health).toFixed(2)} (target >= 0.50)`,
    );
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
