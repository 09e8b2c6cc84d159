import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { rawPglite, rawPostgres, type RawDb } from './raw.js';
import { schema } from './schema.js';

/** The drizzle database, whichever driver is behind it. Services only ever see this type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** Hand-written statements without the ORM, for the hottest paths only (see raw.ts). */
  raw: RawDb;
  kind: 'embedded' | 'postgresql';
  /** Runs a trivial query; used by /api/health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
    const db = drizzlePg(pool, { schema }) as unknown as Db;
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
  const db = drizzlePglite(pgl, { schema }) as unknown as Db;
  return {
    db,
    raw: rawPglite(pgl),
    kind: 'embedded',
    ping: async () => void (await pgl.query('select 1')),
    close: () => pgl.close(),
  };
}
