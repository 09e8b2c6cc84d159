import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { rawPglite, rawPostgres } from './raw.js';
import type { Database, Db } from './types.js';

export type { Database, Db } from './types.js';

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files (ignored with a URL). */
  dataDir?: string;
  /** An already open PGlite (tests load a migrated template into memory). */
  pglite?: PGlite;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool) as unknown as Db;
    return {
      db,
      raw: rawPostgres(pool),
      kind: 'postgresql',
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  }
  let client = options.pglite;
  if (!client) {
    const dir = join(options.dataDir ?? './data', 'pglite');
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir);
  }
  const pgl = client;
  const db = drizzlePglite(pgl) as unknown as Db;
  return {
    db,
    raw: rawPglite(pgl),
    kind: 'embedded',
    ping: async () => void (await pgl.query('select 1')),
    close: () => pgl.close(),
  };
}
