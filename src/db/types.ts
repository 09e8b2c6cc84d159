import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * The drizzle database, whichever driver is behind it (PGlite or node-postgres). Services only
 * ever see this type. No relational schema is registered: queries name their tables, which live
 * with their feature (src/features/<feature>/tables.ts) on top of src/db/core-tables.ts.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  /** Hand-written statements without the ORM, for the hottest paths only (see raw.ts). */
  raw: RawDb;
  kind: 'embedded' | 'postgresql';
  /** Runs a trivial query; used by /api/health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A hand-written statement (db/raw.ts `defineStatement`). */
export interface Statement {
  readonly name: string;
  /** SQL with $1…$n placeholders. */
  readonly text: string;
  /** The value key of each placeholder, in order. */
  readonly keys: readonly string[];
}

export interface RawSql {
  /** Runs a statement with its values by key; resolves to its rows. Pass timestamps as ISO strings. */
  query<T>(statement: Statement, values: Readonly<Record<string, unknown>>): Promise<T[]>;
}

export interface RawTx extends RawSql {
  /** The ORM on this transaction's connection, for rare paths (built on first use). */
  orm(): Db;
}

export interface RawDb extends RawSql {
  /** BEGIN … COMMIT on one connection (ROLLBACK when `fn` throws). */
  transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
}
