import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type AppContext, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { makeOrganization, makeUser } from '../../src/seed/factories.js';
import type { Role } from '../../src/shared/accounts.js';
import { withDatabase } from './db-template.js';

export type TestDbKind = 'pglite' | 'postgres';
export const testDbKind = (): TestDbKind => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite');

/** A database of its own for one test file: a copy of the migrated template. */
async function openTestDatabase(): Promise<{ database: Database; url?: string; drop(): Promise<void> }> {
  if (testDbKind() === 'postgres') {
    const url = process.env.DATABASE_URL!;
    const name = inject('postgresTemplate').replace('tmpl', `t${randomBytes(4).toString('hex')}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
    await admin.end();
    const dbUrl = withDatabase(url, name);
    const database = await openDatabase({ url: dbUrl, poolSize: 20 });
    return {
      database,
      url: dbUrl,
      drop: async () => {
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteTemplate'));
  const client = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return { database: await openDatabase({ pglite: client }), drop: async () => undefined };
}

/** The database of another test app: a pool of its own on PostgreSQL, the same PGlite otherwise. */
async function sharedDatabase(other: TestApp): Promise<{ database: Database; url?: string; drop(): Promise<void> }> {
  if (other.databaseUrl) {
    return { database: await openDatabase({ url: other.databaseUrl, poolSize: 10 }), url: other.databaseUrl, drop: async () => undefined };
  }
  // One in-process PGlite: this instance must not close it.
  return { database: { ...other.ctx.database, close: async () => undefined }, drop: async () => undefined };
}

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  ctx: AppContext;
  /** The PostgreSQL URL of this app's database (undefined on PGlite). */
  databaseUrl?: string | undefined;
  close(): Promise<void>;
}

/**
 * The fully built app on a fresh database (PGlite, or PostgreSQL under api-postgres), with
 * Redis when REDIS_URL is set (under a key prefix of its own, so runs never share limits).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: Pick<AppOverrides, 'speechProbe' | 'realtimeClock' | 'logDestination'> & {
    beforeReady?: (app: TestApp['app']) => void;
    /** A second instance on the same database as `shareDatabaseWith` (which keeps owning it). */
    shareDatabaseWith?: TestApp;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coachhub-test-'));
  const { database, url, drop } = options.shareDatabaseWith ? await sharedDatabase(options.shareDatabaseWith) : await openTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    AUTH_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    // Tests sign in many users from one address; the rate-limit test sets its own limit.
    RATE_LIMIT_AUTH_PER_MINUTE: '10000',
    RATE_LIMIT_ACCOUNT_FAILURES: '10000',
    ...(url ? { DATABASE_URL: url } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const { beforeReady, shareDatabaseWith: _shared, ...overrides } = options;
  // Logs are off unless a test reads them (at the level its env asks, e.g. LOG_LEVEL=info).
  const { app, context } = await buildApp(config, { database, logger: overrides.logDestination !== undefined, ...overrides });
  beforeReady?.(app);
  await app.ready();
  return {
    app,
    ctx: context,
    databaseUrl: url,
    close: async () => {
      await app.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A user with a password, and helpers to call the API as them. */
export async function signedInUser(t: TestApp, input: { organizationId: string; role?: Role; plan?: 'FREE' | 'BASIC' | 'PREMIUM'; locale?: 'fr' | 'en'; timeZone?: string; name?: string }) {
  const { user, password } = await makeUser(t.ctx, input);
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: user.email, password } });
  if (res.statusCode !== 200) throw new Error(`token for ${user.email}: ${res.statusCode} ${res.body}`);
  const tokens = res.json() as { accessToken: string; refreshToken: string };
  return { user, password, ...tokens, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}

/** GET /api/health as an admin of a new organization (anyone else gets only `{ status }`). */
export async function healthAsAdmin(t: TestApp) {
  const org = await makeOrganization(t.ctx);
  const admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
  return t.app.inject({ method: 'GET', url: '/api/health', headers: admin.headers });
}

export { makeOrganization, makeUser };
