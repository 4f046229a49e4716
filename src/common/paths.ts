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

export const PROJECT_ROOT = findRoot(__dirname);
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
