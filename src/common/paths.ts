import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root (where package.json and views/ are), from src/ and from dist/src/ alike. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json above ${from}`);
    }
    dir = parent;
  }
  return dir;
}

// The build is CommonJS and knows its folder; the tests run the sources as ES modules,
// where __dirname does not exist, from the project root.
export const PROJECT_ROOT = findRoot(typeof __dirname === 'string' ? __dirname : process.cwd());
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
