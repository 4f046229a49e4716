/**
 * Latency of the volunteer calendar feed's one query, in process (no HTTP), on the local
 * PostgreSQL server: a volunteer with 10 booked sessions, the rendered file cached, so
 * what is timed is resolving the token and gathering the events. Used to decide whether
 * the feed needs a named prepared statement.
 *
 *   node -r @swc-node/register bench/feed-query.ts
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { CalendarService } from '../src/calendar/calendar.service';
import { hashToken } from '../src/common/tokens';
import { startBenchApp } from './support';

const WARM_UP = 500;
const RUNS = Number(process.env.BENCH_RUNS ?? 5000);
const PORTAL_TOKEN = 'bench-volunteer-personal-link-token';

async function main() {
  const app = await startBenchApp('klar_bench_feed_query');
  try {
    await app.call('POST', '/api/v1/branches', { code: 'bench', name: 'Bench' }, app.adminToken);
    const start = Date.UTC(2027, 2, 1, 16);
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
    const feedToken = me.calendarUrl.match(/([^/]+)\.ics$/)![1];

    const calendars = app.app.get(CalendarService);
    for (let i = 0; i < WARM_UP; i++) {
      await calendars.volunteerFeed(feedToken);
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const began = performance.now();
      await calendars.volunteerFeed(feedToken);
      times.push(performance.now() - began);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    const at = (q: number) => times[Math.floor(q * (times.length - 1))];
    console.log(
      `volunteerFeed x${RUNS}: mean ${mean.toFixed(3)} ms, p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms`,
    );
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
