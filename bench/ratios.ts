/**
 * `npm run bench`: the ratios issue 16 sets, in one run on one machine, as one table.
 * A bare Node `http` server (started here, in its own process), the app on a fresh
 * database of the local PostgreSQL server, and autocannon (its own process, 50
 * connections) against each route in turn:
 *
 *   bare Node hello · /health · a volunteer's calendar feed (10 sessions) · the same feed
 *   answered 304 · the staff volunteer list, a page of 50 of 2,000 in the branch
 *
 *   npm run bench            (BENCH_DATABASE_URL, default the local server; BENCH_SECONDS)
 */
import 'reflect-metadata';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { BENCH_ADMIN, benchVolunteerFeed, signIn, startBenchApp } from './support';

const run = promisify(execFile);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const BRANCH_VOLUNTEERS = 2_000;

interface Rate {
  perSecond: number;
  p50: number;
}

async function rate(url: string, headers: Record<string, string> = {}, status = 200) {
  const args = [require.resolve('autocannon/autocannon.js'), '--json'];
  args.push('-c', String(CONNECTIONS), '-d', String(DURATION_SECONDS));
  for (const [name, value] of Object.entries(headers)) {
    args.push('-H', `${name}=${value}`);
  }
  const { stdout } = await run(process.execPath, [...args, url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as {
    errors: number;
    non2xx: number;
    statusCodeStats?: Record<string, { count: number }>;
    requests: { average: number };
    latency: { p50: number };
  };
  const codes = Object.keys(result.statusCodeStats ?? {});
  if (result.errors > 0 || codes.some((code) => Number(code) !== status)) {
    throw new Error(`${url}: ${result.errors} errors, status codes ${codes.join(', ')}`);
  }
  return { perSecond: result.requests.average, p50: result.latency.p50 } satisfies Rate;
}

/** The bare server, in a process of its own like the app's would be in production. */
async function startBareNode(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => r.end('hello'));
       s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

async function seedBranchList(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO volunteer (branch_id, first_name, last_name, email, phone, postcode, motivation,
                              consent_at, stage, created_at)
       SELECT b.id, 'Fornavn' || n, 'Efternavn' || n, 'list' || n || '@bench.klar',
              '+45 ' || (30000000 + n)::text, '8000', 'Motivation', now(),
              (ARRAY['applied', 'visit_scheduled', 'approved'])[1 + n % 3],
              now() - make_interval(mins => n)
         FROM branch b, generate_series(1, $1::int) AS n WHERE b.code = 'bench'`,
      [BRANCH_VOLUNTEERS - 1], // the feed's volunteer is the 2,000th
    );
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

async function main() {
  const bare = await startBareNode();
  const app = await startBenchApp('klar_bench_ratios');
  try {
    const feed = `${app.base}${await benchVolunteerFeed(app)}`;
    const first = await fetch(feed);
    const etag = first.headers.get('etag');
    const events = (await first.text()).split('BEGIN:VEVENT').length - 1;
    if (events !== 10 || !etag) {
      throw new Error(`the feed should hold 10 events and an ETag (${events}, ${etag})`);
    }
    await seedBranchList(app.databaseUrl);
    const list = `${app.base}/api/v1/volunteers?branch=bench&limit=50`;
    const staff = { authorization: `Bearer ${app.adminToken}` };
    const page = (await (await fetch(list, { headers: staff })).json()) as {
      items: unknown[];
      total: number;
    };
    if (page.items.length !== 50 || page.total !== BRANCH_VOLUNTEERS) {
      throw new Error(`the list should page 50 of ${BRANCH_VOLUNTEERS}: ${page.total}`);
    }

    // The same list as the staff page a coordinator opens (session, CSRF token, Handlebars).
    const listPage = `${app.base}/staff/volunteers?branch=bench`;
    const pageCookie = { cookie: await signIn(app.base, BENCH_ADMIN.email, BENCH_ADMIN.password) };
    const shown = await (await fetch(listPage, { headers: pageCookie })).text();
    if (!shown.includes(`1–25 af ${BRANCH_VOLUNTEERS}`)) {
      throw new Error(
        `the list page should show 1-25 of ${BRANCH_VOLUNTEERS}: ${/Viser[^<]*/.exec(shown)?.[0] ?? 'no count shown'}`,
      );
    }

    await rate(`${app.base}/health`); // warm-up of the app and the connection pool
    const bareNode = await rate(bare.url);
    const health = await rate(`${app.base}/health`);
    const calendar = await rate(feed);
    const notModified = await rate(feed, { 'if-none-match': etag }, 304);
    const volunteers = await rate(list, staff);
    const volunteersPage = await rate(listPage, pageCookie);

    const rows: [string, Rate, string, number | undefined, string][] = [
      ['bare Node `http` hello', bareNode, '', undefined, ''],
      ['`/health`', health, 'of bare Node', health.perSecond / bareNode.perSecond, '>= 0.25'],
      [
        "a volunteer's calendar feed (10 sessions)",
        calendar,
        'of `/health`',
        calendar.perSecond / health.perSecond,
        '>= 0.5',
      ],
      [
        'the same feed answered 304',
        notModified,
        'of `/health`',
        notModified.perSecond / health.perSecond,
        '>= 0.8',
      ],
      [
        'staff volunteer list, page of 50 of 2,000 (JSON API)',
        volunteers,
        'of `/health`',
        volunteers.perSecond / health.perSecond,
        '>= 0.25',
      ],
      [
        'the same list as the staff page (its 25 a page)',
        volunteersPage,
        'of `/health`',
        volunteersPage.perSecond / health.perSecond,
        '>= 0.25',
      ],
    ];
    console.log(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s per route\n`);
    console.log('| route | req/s | p50 | ratio | goal |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const [route, measured, of, ratio, goal] of rows) {
      const shown = ratio === undefined ? '' : `${ratio.toFixed(2)} ${of}`;
      console.log(
        `| ${route} | ${measured.perSecond.toFixed(0)} | ${measured.p50} ms | ${shown} | ${goal} |`,
      );
    }
  } finally {
    bare.stop();
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
