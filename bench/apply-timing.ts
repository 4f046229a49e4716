/**
 * POST /api/v1/applications for new and for known addresses, alternating, on the local
 * PostgreSQL server: prints the two median answer times side by side. They must be
 * within 20% of each other, or the answer's timing tells who has applied.
 *
 *   npm run bench:apply-timing          (BENCH_DATABASE_URL, default the local server)
 */
import 'reflect-metadata';
import { PublicRequestQueue } from '../src/applications/public-request.queue';
import { startBenchApp } from './support';

const PAIRS = 200;
const WARM_UP = 20;
const TOLERANCE = 0.2;

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  // A client limit far above the bench's own requests: this measures timing, not limits.
  const bench = await startBenchApp('klar_bench_apply_timing', {
    APPLY_LIMIT_PER_CLIENT: '100000',
  });
  const queue = bench.app.get(PublicRequestQueue);
  try {
    await bench.call(
      'POST',
      '/api/v1/branches',
      { code: 'bench', name: 'Bench' },
      bench.adminToken,
    );
    const body = (email: string) => ({
      branchCode: 'bench',
      firstName: 'Bench',
      lastName: 'Person',
      email,
      phone: '+45 20 30 40 50',
      postcode: '8000',
      motivation: 'Timing',
      consent: true,
    });
    const known = Array.from({ length: 20 }, (_, i) => `known.${i}@bench.klar`);
    for (const email of known) {
      await bench.call('POST', '/api/v1/applications', body(email));
    }
    await queue.drain();

    const timed = async (email: string) => {
      const started = performance.now();
      const res = await fetch(`${bench.base}/api/v1/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(email)),
      });
      await res.text();
      const ms = performance.now() - started;
      if (res.status !== 202) {
        throw new Error(`HTTP ${res.status}`);
      }
      // Each answer is measured on its own: the work queued by the previous request is
      // done before the next is sent, so neither path pays for the other's.
      await queue.drain();
      return ms;
    };

    const times = { new: [] as number[], known: [] as number[] };
    for (let i = 0; i < WARM_UP + PAIRS; i += 1) {
      const pair = i % 2 === 0 ? (['new', 'known'] as const) : (['known', 'new'] as const);
      for (const kind of pair) {
        const email = kind === 'new' ? `new.${i}@bench.klar` : known[i % known.length];
        const ms = await timed(email);
        if (i >= WARM_UP) {
          times[kind].push(ms);
        }
      }
    }
    const [newMedian, knownMedian] = [median(times.new), median(times.known)];
    const difference = Math.abs(newMedian - knownMedian) / Math.min(newMedian, knownMedian);
    console.log(
      `median answer  new address ${newMedian.toFixed(2)} ms  |  known address ${knownMedian.toFixed(2)} ms  (${PAIRS} pairs)`,
    );
    console.log(
      `difference ${(difference * 100).toFixed(1)}% ${difference <= TOLERANCE ? '(within 20%)' : '(MORE THAN 20%)'}`,
    );
    if (difference > TOLERANCE) {
      process.exitCode = 1;
    }
  } finally {
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
