import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect, type PgSession } from 'drizzle-orm/pg-core';

/** The database or a transaction: both expose their session as `_.session`. */
export interface SessionRunner {
  _: { session: PgSession };
}

const dialect = new PgDialect();

/**
 * Runs a hand-written hot-path statement as a named prepared statement: PostgreSQL parses and
 * plans it once per connection instead of on every call. For the chat send path's statements
 * (CTEs over four tables) that halves PostgreSQL's CPU per send (docs/benchmarks.md).
 *
 * The name is derived from the SQL text, so every variant of a statement (one or two messages,
 * with or without a charge) gets its own, and a name never meets a different text (which
 * node-postgres would reject). Callers keep the number of variants small: each one stays
 * prepared on each pooled connection for the connection's life. PGlite ignores the name.
 */
export async function executePrepared<T>(runner: SessionRunner, label: string, query: SQL): Promise<T[]> {
  const built = dialect.sqlToQuery(query);
  const name = `${label}_${createHash('sha1').update(built.sql).digest('hex').slice(0, 12)}`;
  const result = (await runner._.session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
  return result.rows;
}
