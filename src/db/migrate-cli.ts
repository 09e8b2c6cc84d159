import 'dotenv/config';
import { loadConfig } from '../config/config.js';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';

// `npm run db:migrate`: applies drizzle/ migrations (the server also does this at start).
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
await migrate(database);
console.log(`Migrations applied (${database.kind}).`);
await database.close();
