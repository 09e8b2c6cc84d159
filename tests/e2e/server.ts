import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { seedDemo } from '../../src/seed/demo-seed.js';
import { makeOrganization, makeUser } from '../../src/seed/factories.js';
import { freePort } from '../helpers/free-port.js';

/** Where public sign-ups land in browser tests. */
export const E2E_SIGNUP_ORGANIZATION = { name: 'Coach Hub Public', slug: 'public' };
/** Its administrator (a password of its own, not a published demo one: sign-ups stay open). */
export const E2E_SIGNUP_ADMIN = { name: 'Paula Public', email: 'admin@public.coachhub.test', password: 'e2e-public-admin-7a41' };

export interface E2eServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** With DATABASE_URL set, the run gets its own database, dropped at the end. */
async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return { url: dbUrl.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * The real server (buildApp, the same wiring as production) on 127.0.0.1, with a fresh data
 * folder and the demo data, serving the SPA from `webDir`; `env` adds settings (e.g. a vendor fake).
 */
export async function startE2eServer({ webDir, env: extraEnv = {} }: { webDir: string; env?: Record<string, string> }): Promise<E2eServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coachhub-e2e-data-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const postgres = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    SIGNUP_ENABLED: 'true',
    // The demo organization's admin has a published password: sign-ups go to an organization of their own.
    SIGNUP_ORGANIZATION: E2E_SIGNUP_ORGANIZATION.slug,
    REDIS_KEY_PREFIX: `coachhub-e2e-${port}-${Date.now()}:`,
    ...extraEnv,
  };
  delete env.CORS_ORIGINS;
  delete env.DATABASE_URL;
  if (postgres) env.DATABASE_URL = postgres.url;

  const cleanup = async () => {
    await postgres?.drop().catch((err: unknown) => console.warn('e2e: could not drop the test database', err));
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const { app, context } = await buildApp(loadConfig(env), { webDir, logger: false });
    await seedDemo(context);
    const publicOrg = await makeOrganization(context, E2E_SIGNUP_ORGANIZATION);
    await makeUser(context, { organizationId: publicOrg.id, role: 'admin', ...E2E_SIGNUP_ADMIN });
    await app.listen({ port, host: '127.0.0.1' });
    return {
      baseUrl,
      close: async () => {
        await app.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
