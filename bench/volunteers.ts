/**
 * GET /api/v1/volunteers on 100,000 volunteers in one branch (BENCH_VOLUNTEERS to change), on a real PostgreSQL
 * server: prints the median and p95 latency of a page of the list with readiness.
 *
 *   npm run bench:volunteers            (BENCH_DATABASE_URL, default the local server)
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { startBenchApp } from './support';

const VOLUNTEERS = Number(process.env.BENCH_VOLUNTEERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

/** Volunteers spread over the stages, with the visits and certificates behind them. */
const SEED = `
  INSERT INTO branch (code, name) VALUES ('bench', 'Home-Start Bench');
  INSERT INTO staff_user (email, name, role, branch_id, password_hash)
    SELECT 'coordinator@bench.klar', 'Bench', 'coordinator', id, 'x' FROM branch WHERE code = 'bench';
  INSERT INTO volunteer (branch_id, first_name, last_name, email, phone, postcode, motivation,
                         consent_at, stage, created_at)
    SELECT b.id, 'Fornavn' || n, (ARRAY['Søndergaard', 'Æbelø', 'Aagaard', 'Jensen'])[1 + n % 4] || n,
           'person' || n || '@bench.klar', '+45 ' || (20000000 + n)::text,
           lpad((1000 + n % 8000)::text, 4, '0'), 'Motivation', now(),
           (ARRAY['applied', 'visit_scheduled', 'approved'])[1 + n % 3],
           now() - make_interval(mins => n)
      FROM branch b, generate_series(1, ${VOLUNTEERS}) AS n
     WHERE b.code = 'bench';
  INSERT INTO home_visit (volunteer_id, scheduled_at, outcome, held_at, outcome_at, outcome_by, created_by)
    SELECT v.id, now() - interval '10 days', CASE WHEN v.stage = 'approved' THEN 'approved' END,
           CASE WHEN v.stage = 'approved' THEN now() - interval '10 days' END,
           CASE WHEN v.stage = 'approved' THEN now() END,
           CASE WHEN v.stage = 'approved' THEN s.id END, s.id
      FROM volunteer v, staff_user s
     WHERE v.stage <> 'applied' AND s.email = 'coordinator@bench.klar';
  INSERT INTO attestation (volunteer_id, received_on, result, verified_by)
    SELECT v.id, current_date - 30, 'clean', s.id
      FROM volunteer v, staff_user s
     WHERE v.stage = 'approved' AND s.email = 'coordinator@bench.klar';
  ANALYZE;
`;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const app = await startBenchApp('klar_bench_volunteers');
  try {
    const seeding = new Client({ connectionString: app.databaseUrl });
    await seeding.connect();
    await seeding.query(SEED);
    await seeding.end();
    const headers = { authorization: `Bearer ${app.adminToken}` };
    const base = app.base;

    for (const [label, query] of [
      ['first page of 50', 'branch=bench&limit=50'],
      ['page of 500', 'branch=bench&limit=500'],
      ['search "jensen12"', 'branch=bench&q=jensen12'],
      ['search "soendergaard1"', 'branch=bench&q=soendergaard1'],
      ['search phone "20 00 12 34"', 'branch=bench&q=20%2000%2012%2034'],
      ['stage=approved, page 20', 'branch=bench&stage=approved&offset=1000'],
      ['sort=name', 'branch=bench&sort=name'],
      ['sort=-name, page 20', 'branch=bench&sort=-name&offset=1000'],
      ['sort=appliedAt', 'branch=bench&sort=appliedAt'],
      ['sort=stage', 'branch=bench&sort=stage'],
      ['all branches, sort=name', 'sort=name'],
    ]) {
      // Unmeasured first requests, so the first case does not carry the warm-up.
      for (let i = 0; i < 5; i += 1) {
        await (await fetch(`${base}/api/v1/volunteers?${query}`, { headers })).arrayBuffer();
      }
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < REQUESTS; i += 1) {
        const started = performance.now();
        const res = await fetch(`${base}/api/v1/volunteers?${query}`, { headers });
        const body = (await res.json()) as { total: number };
        times.push(performance.now() - started);
        if (res.status !== 200) {
          throw new Error(`HTTP ${res.status}`);
        }
        total = body.total;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${label.padEnd(30)} total=${String(total).padStart(6)}  median ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  (${REQUESTS} requests)`,
      );
    }
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
