import type { PGlite, Transaction } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Db, RawDb, RawSql, RawTx, Statement } from './types.js';

export type { RawDb, RawSql, RawTx, Statement } from './types.js';

/**
 * Hand-written statements for the few hottest paths (a chat send), run on the driver without
 * the ORM: the text is built once at load, and on PostgreSQL it is a named prepared statement,
 * parsed and planned once per pooled connection. Building SQL with the query builder and the
 * ORM's per-transaction objects were the largest share of a send's CPU (docs/benchmarks.md).
 * Everything else uses the ORM.
 */

/** Texts by name: a name is prepared once per connection, so it must always mean one text. */
const defined = new Map<string, string>();

/**
 * Defines a statement. `build` writes the SQL, calling `p('key')` for each value: the same key
 * gets the same placeholder. Values are then passed by key (see `RawSql.query`). Throws when
 * the name is already used by a different text.
 */
export function defineStatement(name: string, build: (p: (key: string) => string) => string): Statement {
  const keys: string[] = [];
  const text = build((key) => {
    let index = keys.indexOf(key);
    if (index === -1) index = keys.push(key) - 1;
    return `$${index + 1}`;
  });
  const existing = defined.get(name);
  if (existing !== undefined && existing !== text) throw new Error(`Statement name ${name} is already used by another statement`);
  defined.set(name, text);
  return { name, text, keys };
}

const valuesOf = (statement: Statement, values: Readonly<Record<string, unknown>>): unknown[] =>
  statement.keys.map((key) => {
    const value = values[key];
    if (value === undefined) throw new Error(`Statement ${statement.name}: no value for "${key}"`);
    return value;
  });

/** A pooled node-postgres client as RawSql: named statements, so each is prepared once per connection. */
function pgRunner(client: pg.Pool | pg.PoolClient): RawSql {
  return {
    async query<T>(statement: Statement, values: Readonly<Record<string, unknown>>): Promise<T[]> {
      const result = await client.query({ name: statement.name, text: statement.text, values: valuesOf(statement, values) });
      return result.rows as T[];
    },
  };
}

export function rawPostgres(pool: pg.Pool): RawDb {
  return {
    ...pgRunner(pool),
    async transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let orm: Db | undefined;
      const tx: RawTx = { ...pgRunner(client), orm: () => (orm ??= drizzlePg(client) as unknown as Db) };
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

function pgliteRunner(client: PGlite | Transaction): RawSql {
  return {
    async query<T>(statement: Statement, values: Readonly<Record<string, unknown>>): Promise<T[]> {
      return (await client.query<T>(statement.text, valuesOf(statement, values))).rows;
    },
  };
}

export function rawPglite(pglite: PGlite): RawDb {
  return {
    ...pgliteRunner(pglite),
    transaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
      return pglite.transaction(async (transaction) => {
        let orm: Db | undefined;
        // drizzle's PGlite driver runs its own transactions on a Transaction object the same way.
        return fn({ ...pgliteRunner(transaction), orm: () => (orm ??= drizzlePglite(transaction as unknown as PGlite) as unknown as Db) });
      });
    },
  };
}
