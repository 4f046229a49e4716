/**
 * Latency of the volunteer calendar feed's one query, in process (no HTTP), on the local
 * PostgreSQL server: a volunteer with 10 booked sessions, the rendered file cached, so
 * what is timed is resolving the token and gathering the events; then the same with the
 * feed's ETag held (the 304 case: the digest comes back, the events do not). Used to
 * decide whether the feed needs a named prepared statement.
 *
 *   node -r @swc-node/register bench/feed-query.ts
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { CalendarService } from '../src/calendar/calendar.service';
import { benchVolunteerFeed, startBenchApp } from './support';

const WARM_UP = 500;
const RUNS = Number(process.env.BENCH_RUNS ?? 5000);

async function main() {
  const app = await startBenchApp('klar_bench_feed_query');
  try {
    const feedToken = (await benchVolunteerFeed(app)).match(/([^/]+)\.ics$/)![1];

    const calendars = app.app.get(CalendarService);
    const { etag } = await calendars.volunteerFeed(feedToken);
    const time = async (label: string, ifNoneMatch?: string) => {
      for (let i = 0; i < WARM_UP; i++) {
        await calendars.volunteerFeed(feedToken, ifNoneMatch);
      }
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const began = performance.now();
        await calendars.volunteerFeed(feedToken, ifNoneMatch);
        times.push(performance.now() - began);
      }
      times.sort((a, b) => a - b);
      const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
      const at = (q: number) => times[Math.floor(q * (times.length - 1))];
      console.log(
        `${label} x${RUNS}: mean ${mean.toFixed(3)} ms, p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms`,
      );
    };
    await time('volunteerFeed, the file     ');
    await time('volunteerFeed, its ETag held', etag);
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
