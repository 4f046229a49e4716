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
import { benchVolunteerFeed, startBenchApp } from './support';

const run = promisify(execFile);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

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
    const feed = `${app.base}${await benchVolunteerFeed(app)}`;
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
