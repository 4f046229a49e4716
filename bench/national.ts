/**
 * `npm run bench:national`: Klar at national scale on the local PostgreSQL server.
 * Seeds 100,000 volunteers over 50 branches at every stage, 2,000 courses with 10,000
 * sessions, bookings, attendance, visits, certificates, notes and audit trail in straight
 * SQL (bench/national-seed.ts) and prints the time it took; then signs in as a branch's
 * coordinator and as an admin and sends each staff page and list API 10 concurrent
 * clients (a load process of its own), and prints p50 and p95 against the goal.
 *
 *   npm run bench:national                   (BENCH_DATABASE_URL, default the local server)
 *   NATIONAL_VOLUNTEERS=10000 NATIONAL_BRANCHES=50 npm run bench:national
 *   npm run bench:national -- --seed-only    (seed, count, stop)
 *
 * NATIONAL_REQUESTS sets the requests per route (default 200), NATIONAL_ROUTE_SECONDS
 * the most a route is sent them for (default 60, for the slow ones); BENCH_KEEP_DATABASE=1
 * keeps the database (klar_bench_national) for EXPLAIN afterwards.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import {
  nationalBranchCode,
  nationalCoordinatorEmail,
  nationalCourses,
  SESSIONS_PER_COURSE,
  seedNational,
} from './national-seed';
import { BENCH_ADMIN, signIn, startBenchApp } from './support';

const VOLUNTEERS = Number(process.env.NATIONAL_VOLUNTEERS ?? 100_000);
const BRANCHES = Number(process.env.NATIONAL_BRANCHES ?? 50);
const REQUESTS = Number(process.env.NATIONAL_REQUESTS ?? 200);
/** A route's clients stop sending after this long, so a slow route cannot hold the run up. */
const ROUTE_SECONDS = Number(process.env.NATIONAL_ROUTE_SECONDS ?? 60);
const CONCURRENCY = 10;
const SEED_ONLY = process.argv.includes('--seed-only');

interface Route {
  label: string;
  path: string;
  /** The session cookie or bearer token of who asks. */
  as: 'coordinator' | 'admin';
  api: boolean;
  goalMs: number;
}

/**
 * The load, in a process of its own so that the client's work does not share the app's
 * event loop: `CONCURRENCY` clients each sending the next request when their last one
 * answered, until `REQUESTS` have (or `ROUTE_SECONDS` passed); prints every latency (ms) as JSON. A status other
 * than 200 fails the run.
 */
const LOAD_SCRIPT = `
  const [url, headersJson, total, concurrency, seconds] = process.argv.slice(1);
  const headers = JSON.parse(headersJson);
  const times = [];
  let sent = 0;
  let until = 0;
  async function client() {
    while (sent < Number(total) && performance.now() < until) {
      sent += 1;
      const started = performance.now();
      const res = await fetch(url, { headers, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status !== 200) {
        console.error(url + ': HTTP ' + res.status);
        process.exit(1);
      }
      times.push(performance.now() - started);
    }
  }
  (async () => {
    for (let i = 0; i < 3; i += 1) {
      await (await fetch(url, { headers })).arrayBuffer();
    }
    until = performance.now() + Number(seconds) * 1000;
    await Promise.all(Array.from({ length: Number(concurrency) }, client));
    console.log(JSON.stringify(times));
  })();
`;

function load(url: string, headers: Record<string, string>, total: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        LOAD_SCRIPT,
        url,
        JSON.stringify(headers),
        String(total),
        String(CONCURRENCY),
        String(ROUTE_SECONDS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`${url}: load failed`)),
    );
  });
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function bearer(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) {
    throw new Error(`Token for ${email}: ${res.status}`);
  }
  return ((await res.json()) as { token: string }).token;
}

async function counts(db: Client) {
  const { rows } = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM branch)::int AS branches,
            (SELECT count(*) FROM volunteer)::int AS volunteers,
            (SELECT count(*) FROM home_visit)::int AS "homeVisits",
            (SELECT count(*) FROM attestation)::int AS certificates,
            (SELECT count(*) FROM course)::int AS courses,
            (SELECT count(*) FROM course_session)::int AS sessions,
            (SELECT count(*) FROM booking)::int AS bookings,
            (SELECT count(*) FROM attendance)::int AS attendance,
            (SELECT count(*) FROM volunteer_note)::int AS notes,
            (SELECT count(*) FROM audit_event)::int AS "auditEvents"`,
  );
  const { rows: stages } = await db.query<{ stage: string; n: number }>(
    'SELECT stage, count(*)::int AS n FROM volunteer GROUP BY stage ORDER BY stage',
  );
  return { ...rows[0], stages: Object.fromEntries(stages.map((s) => [s.stage, s.n])) };
}

async function main() {
  const app = await startBenchApp('klar_bench_national');
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  try {
    const password = BENCH_ADMIN.password;
    const seconds = await seedNational((sql, params) => db.query(sql, params), {
      volunteers: VOLUNTEERS,
      branches: BRANCHES,
      passwordHash: await hashPassword(password),
    });
    const expected = nationalCourses({ volunteers: VOLUNTEERS, branches: BRANCHES });
    console.log(
      `Seeded ${VOLUNTEERS} volunteers in ${BRANCHES} branches, ${expected} courses with ` +
        `${expected * SESSIONS_PER_COURSE} sessions in ${seconds.toFixed(1)} s (goal < 120 s)`,
    );
    console.log(JSON.stringify(await counts(db)));
    if (SEED_ONLY) {
      return;
    }

    // The first branch's people: a matchable volunteer (visit, certificate, course,
    // notes) and the finished course with the most bookings.
    const code = nationalBranchCode(1);
    const [{ volunteerId, phone }] = (
      await db.query<{ volunteerId: string; phone: string }>(
        `SELECT v.id AS "volunteerId", v.phone FROM volunteer v JOIN branch b ON b.id = v.branch_id
          WHERE b.code = $1 AND v.stage = 'matchable'
            AND EXISTS (SELECT 1 FROM volunteer_note n WHERE n.volunteer_id = v.id)
          ORDER BY v.created_at LIMIT 1`,
        [code],
      )
    ).rows;
    const [{ courseId }] = (
      await db.query<{ courseId: string }>(
        `SELECT c.id AS "courseId" FROM course c JOIN branch b ON b.id = c.branch_id
          WHERE b.code = $1
          ORDER BY (SELECT count(*) FROM attendance a JOIN course_session s ON s.id = a.session_id
                     WHERE s.course_id = c.id) DESC
          LIMIT 1`,
        [code],
      )
    ).rows;
    const year = new Date().getFullYear();
    const phoneQuery = encodeURIComponent(
      phone.replace('+45 ', '').replace(/(\d{2})(?=\d)/g, '$1 '),
    );

    const auth = {
      coordinator: {
        cookie: await signIn(app.base, nationalCoordinatorEmail(1), password),
        token: await bearer(app.base, nationalCoordinatorEmail(1), password),
      },
      admin: {
        cookie: await signIn(app.base, BENCH_ADMIN.email, BENCH_ADMIN.password),
        token: app.adminToken,
      },
    };
    const page = (label: string, path: string, as: Route['as'] = 'coordinator', goalMs = 200) =>
      ({ label, path, as, api: false, goalMs }) satisfies Route;
    const api = (label: string, path: string, as: Route['as'] = 'coordinator', goalMs = 200) =>
      ({ label, path, as, api: true, goalMs }) satisfies Route;
    const listFilters: [string, string][] = [
      ['', ''],
      ...['applied', 'visit_scheduled', 'approved', 'matchable', 'declined', 'withdrawn'].map(
        (stage): [string, string] => [` stage=${stage}`, `stage=${stage}`],
      ),
      [' search name "jensen"', 'q=jensen'],
      [' search name "søren aagaard"', `q=${encodeURIComponent('søren aagaard')}`],
      [' search phone', `q=${phoneQuery}`],
      [' sort=name, page 5', 'sort=name&offset=200'],
    ];
    const routes: Route[] = [
      page('dashboard', '/staff'),
      ...listFilters.map(([label, query]) =>
        page(`volunteer list${label}`, `/staff/volunteers?${query}`),
      ),
      ...listFilters.map(([label, query]) =>
        api(`volunteer list${label}`, `/api/v1/volunteers?${query}`),
      ),
      page('volunteer record', `/staff/volunteers/${volunteerId}`),
      api('volunteer record', `/api/v1/volunteers/${volunteerId}`),
      api('volunteer notes', `/api/v1/volunteers/${volunteerId}/notes`),
      api('volunteer history', `/api/v1/volunteers/${volunteerId}/history`),
      page('course', `/staff/courses/${courseId}`),
      api('course', `/api/v1/courses/${courseId}`),
      api('course participants', `/api/v1/courses/${courseId}/participants`),
      page('attendance register', `/staff/courses/${courseId}/attendance`),
      api('attendance', `/api/v1/courses/${courseId}/attendance`),
      page('courses', '/staff/courses'),
      page('pool', '/staff/pool'),
      page('year figures, branch', `/staff/reports/year?year=${year}`),
      api('year figures, branch', `/api/v1/reports/year?year=${year}`),
      page('admin: dashboard, national', '/staff', 'admin'),
      page('admin: volunteer list, national', '/staff/volunteers', 'admin'),
      page('admin: volunteer list, search "jensen"', '/staff/volunteers?q=jensen', 'admin'),
      page('admin: pool, national', '/staff/pool', 'admin'),
      page(
        'admin: year figures, branch',
        `/staff/reports/year?year=${year}&branch=${code}`,
        'admin',
      ),
      page('admin: year figures, national', `/staff/reports/year?year=${year}`, 'admin', 1000),
      api('admin: year figures, national', `/api/v1/reports/year?year=${year}`, 'admin', 1000),
    ];

    const rows: string[][] = [];
    for (const route of routes) {
      const who = auth[route.as];
      const headers: Record<string, string> = route.api
        ? { authorization: `Bearer ${who.token}` }
        : { cookie: who.cookie };
      // The slow national figures get fewer requests, so a run stays in minutes.
      const total = route.goalMs > 200 ? Math.max(20, Math.round(REQUESTS / 4)) : REQUESTS;
      const times = (await load(`${app.base}${route.path}`, headers, total)).sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const row = [
        `${route.api ? 'API ' : 'page'} ${route.label}`,
        String(times.length),
        p50.toFixed(0),
        p95.toFixed(0),
        `< ${route.goalMs}`,
        p95 < route.goalMs ? 'met' : 'NOT MET',
      ];
      rows.push(row);
      console.error(row.join('  '));
    }
    console.log(
      `\n${VOLUNTEERS} volunteers, ${BRANCHES} branches; ${CONCURRENCY} concurrent clients, ` +
        `${REQUESTS} requests a route (national figures ${Math.max(20, Math.round(REQUESTS / 4))})\n`,
    );
    console.log('| route | requests | p50 ms | p95 ms | goal p95 ms | |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) {
      console.log(`| ${row.join(' | ')} |`);
    }
  } finally {
    await db.end();
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
