// `npm start`: transpiles what changed since the last start with SWC, then runs the app.
//
// `nest build` type-checks the whole project with tsc on every start (~10-35 s). Here
// each .ts file of src/ and migrations/ is transpiled on its own with @swc/core and the
// options of .swcrc (decorator metadata, as the tests use), only when it is newer than
// its dist/ output, so a second start transpiles nothing and boots at once. Types are
// checked by `npm run lint` (tsc --noEmit) and the full `npm run build` (CI, docker),
// which also runs the Swagger plugin that fills the API docs' DTO schemas.
'use strict';
const {
  readdirSync,
  readFileSync,
  statSync,
  mkdirSync,
  writeFileSync,
  rmSync,
} = require('node:fs');
const { basename, dirname, join, relative } = require('node:path');
const { transformFile } = require('@swc/core');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist');
const SOURCE_DIRS = ['src', 'migrations'];

function* filesIn(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* filesIn(path);
    } else {
      yield path;
    }
  }
}

const isSource = (file) =>
  file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith('.d.ts');
const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/** Transpiles the changed sources; returns how many were written and removed. */
async function build() {
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  // A change of the options (or of this script) makes every output stale.
  const optionsChanged = Math.max(mtime(join(ROOT, '.swcrc')), mtime(__filename));
  const sources = SOURCE_DIRS.flatMap((dir) => [...filesIn(join(ROOT, dir))]).filter(isSource);
  const outputs = new Set();
  const stale = [];
  for (const source of sources) {
    const output = join(OUT, relative(ROOT, source)).replace(/\.ts$/, '.js');
    outputs.add(output);
    if (mtime(output) < Math.max(mtime(source), optionsChanged)) {
      stale.push({ source, output });
    }
  }
  await Promise.all(
    stale.map(async ({ source, output }) => {
      const { code, map } = await transformFile(source, {
        ...swcrc,
        swcrc: false,
        filename: source,
        sourceFileName: relative(dirname(output), source),
        sourceMaps: true,
      });
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, `${code}\n//# sourceMappingURL=${basename(output)}.map\n`);
      writeFileSync(`${output}.map`, map);
    }),
  );
  // A deleted or renamed source must not live on in dist/ (migrations are listed by
  // hand, but a stale module could still be required by an old output).
  let removed = 0;
  for (const dir of SOURCE_DIRS) {
    for (const file of filesIn(join(OUT, dir))) {
      if (file.endsWith('.js') && !outputs.has(file)) {
        rmSync(file, { force: true });
        rmSync(`${file}.map`, { force: true });
        removed += 1;
      }
    }
  }
  return { written: stale.length, removed, of: sources.length };
}

module.exports = { build };

if (require.main === module) {
  const started = Date.now();
  build()
    .then(({ written, removed, of }) => {
      console.log(
        `Transpiled ${written} of ${of} files${removed ? `, removed ${removed}` : ''} in ${Date.now() - started} ms`,
      );
      if (!process.argv.includes('--build-only')) {
        require(join(OUT, 'src', 'main.js'));
      }
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
