import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations into drizzle/ (committed) from the core tables and
// every feature's tables.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/core-tables.ts', './src/features/*/tables.ts'],
  out: './drizzle',
});
