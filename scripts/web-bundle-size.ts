/**
 * The JavaScript a visitor downloads before the first page shows, measured on a real build
 * (`npm run build:web`, then `npm run size:web [dist/web]`): the entry chunk of index.html and
 * its static imports, plus the chunk of the first route (/login signed out, / signed in) and
 * its static imports — gzipped, as the browser receives them. Lazy chunks (other pages, Daily's
 * SDK, react-markdown) are not counted. Exits 1 above the budget (docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Gzipped JavaScript allowed before the first page shows. */
export const FIRST_PAGE_BUDGET_BYTES = 200_000;

/** The module each first page renders (as Vite names it in the manifest: relative to src/web). */
export const FIRST_ROUTES: Record<string, string> = {
  '/login': 'auth/login-page.tsx',
  '/': 'home/home-page.tsx',
};

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface PageWeight {
  route: string;
  /** The JavaScript files loaded, with their gzipped size in bytes. */
  files: { file: string; gzipBytes: number }[];
  gzipBytes: number;
  /** False when the route's page is not a chunk of its own (it is then inside the entry). */
  routeChunk: boolean;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/** A chunk and everything it imports statically (what the browser fetches before running it). */
function staticClosure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

export function measureFirstPages(dir: string): PageWeight[] {
  const manifest = readManifest(dir);
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error(`No entry in ${dir}/.vite/manifest.json`);
  const gzipOf = new Map<string, number>();
  const size = (file: string) => gzipOf.get(file) ?? gzipOf.set(file, gzipSync(readFileSync(join(dir, file)), { level: 9 }).length).get(file)!;
  return Object.entries(FIRST_ROUTES).map(([route, module]) => {
    const keys = staticClosure(manifest, entry);
    const routeChunk = module in manifest;
    if (routeChunk) staticClosure(manifest, module, keys);
    const files = [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js')).map((file) => ({ file, gzipBytes: size(file) }));
    return { route, files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0), routeChunk };
  });
}

/** Kilobytes as Vite prints them (1 kB = 1000 bytes). */
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = resolve(process.argv[2] ?? 'dist/web');
  let over = false;
  for (const page of measureFirstPages(dir)) {
    console.log(`${page.route}: ${kB(page.gzipBytes)} gzipped JavaScript${page.routeChunk ? '' : ' (the page is inside the entry chunk)'}`);
    for (const f of page.files) console.log(`  ${f.file}  ${kB(f.gzipBytes)}`);
    if (page.gzipBytes > FIRST_PAGE_BUDGET_BYTES) over = true;
  }
  console.log(`budget: ${kB(FIRST_PAGE_BUDGET_BYTES)} per first page`);
  if (over) {
    console.error('Over budget: split the route (React.lazy) or load the library on demand.');
    process.exit(1);
  }
}
