import { defineConfig } from 'vitest/config';

/**
 * Unit tests (src/**\/*.test.ts) and API tests (tests/api) — the API tests run once on the
 * embedded PGlite and, when DATABASE_URL is set (CI), once more on real PostgreSQL.
 * Browser tests have their own config (vitest.e2e.config.ts).
 */
const apiProject = (db: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: `api-${db}`,
    include: ['tests/api/**/*.test.ts'],
    globalSetup: ['tests/helpers/db-template.ts'],
    env: { TEST_DB: db },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 60_000 } },
      apiProject('pglite'),
      ...(process.env.DATABASE_URL ? [apiProject('postgres')] : []),
    ],
  },
});
