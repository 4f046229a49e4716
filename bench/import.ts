/**
 * POST /api/v1/imports with 1,000 generated rows (BENCH_IMPORT_ROWS to change), not a
 * dry run, on a fresh database of the local PostgreSQL server: prints the seconds the
 * import took (issue 15's goal: under 10 s), and those of the dry run before it and of
 * the same file again (all unchanged).
 *
 *   npm run bench:import            (BENCH_DATABASE_URL, default the local server)
 */
import 'reflect-metadata';
import { startBenchApp } from './support';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1000);
const HEADER =
  'Fornavn;Efternavn;E-mail;Telefon;Postnummer;Ansøgt;Hjemmebesøg;Udfald;Børneattest modtaget;Børneattest resultat;Kursus gennemført;Sprog;Tider;Noter';

const day = (daysAgo: number) => {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`;
};

/** People at every step: applied only, visited (approved, follow-up, declined), certified, course done. */
function row(n: number): string {
  const step = n % 5;
  const visit = step >= 1 ? day(200 - (n % 50)) : '';
  const outcome =
    step >= 1 ? ['godkendt', 'opfølgning', 'afslået'][n % 7 === 0 ? 2 : n % 11 === 0 ? 1 : 0] : '';
  const attestation = step >= 2 ? day(100 - (n % 30)) : '';
  const result = step >= 2 ? 'ren' : '';
  const course = step >= 3 ? day(400 + (n % 100)) : '';
  return [
    `Fornavn${n}`,
    ['Søndergaard', 'Æbelø', 'Aagaard', 'Jensen'][n % 4],
    `person${n}@bench.klar`,
    `+45 ${20000000 + n}`,
    String(1000 + (n % 8000)).padStart(4, '0'),
    day(300 - (n % 60)),
    visit,
    outcome,
    attestation,
    result,
    course,
    ['Dansk', 'Dansk, Engelsk', 'Arabisk'][n % 3],
    ['Weekend', 'Hverdage aften', ''][n % 3],
    step === 4 ? `Note om person ${n}` : '',
  ].join(';');
}

async function main() {
  const app = await startBenchApp('klar_bench_import');
  try {
    await app.call('POST', '/api/v1/branches', { code: 'bench', name: 'Bench' }, app.adminToken);
    const file = Buffer.from(
      [HEADER, ...Array.from({ length: ROWS }, (_, i) => row(i + 1))].join('\r\n'),
      'utf8',
    );
    const post = async (dryRun: boolean) => {
      const form = new FormData();
      form.append('branchCode', 'bench');
      form.append('dryRun', String(dryRun));
      form.append('file', new Blob([file]), 'bench.csv');
      const started = performance.now();
      const res = await fetch(`${app.base}/api/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.adminToken}` },
        body: form,
      });
      const seconds = (performance.now() - started) / 1000;
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) {
        throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      }
      const { created, updated, unchanged, errorRows } = body;
      return { seconds, created, updated, unchanged, errorRows };
    };
    const dry = await post(true);
    console.log(
      `dry run        ${dry.seconds.toFixed(2)} s  ${JSON.stringify({ ...dry, seconds: undefined })}`,
    );
    const real = await post(false);
    console.log(
      `import ${ROWS} rows ${real.seconds.toFixed(2)} s  ${JSON.stringify({ ...real, seconds: undefined })}`,
    );
    const again = await post(false);
    console.log(
      `same file again ${again.seconds.toFixed(2)} s  ${JSON.stringify({ ...again, seconds: undefined })}`,
    );
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
