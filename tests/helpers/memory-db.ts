import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/** A fresh in-memory PGlite database with every migration applied (unit tests of one service). */
export async function migratedMemoryDatabase(): Promise<Database> {
  const database = await openDatabase({ pglite: new PGlite() });
  await migrate(database);
  return database;
}
