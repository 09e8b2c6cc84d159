import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json. Code runs from src/ (tsx) and from dist/server/ (built),
 * so files shipped beside the code (migrations, the built SPA) are found from here.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const MIGRATIONS_DIR = resolve(projectRoot(), 'drizzle');
export const WEB_DIST_DIR = resolve(projectRoot(), 'dist/web');
