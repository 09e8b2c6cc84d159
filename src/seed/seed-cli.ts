import 'dotenv/config';
import { buildContext } from '../app.js';
import { loadConfig } from '../config/config.js';
import { seedDemo } from './demo-seed.js';

// `npm run db:seed`: loads (or completes) the demo data; safe to run twice.
// Quiet by default: the CLI's output is its own lines (LOG_LEVEL still wins when set).
const ctx = await buildContext(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
const result = await seedDemo(ctx);
console.log(`Demo organization "${result!.organization.name}" ready. Logins:`);
for (const l of result!.logins) console.log(`  ${l.role.padEnd(7)} ${l.email}  /  ${l.password}`);
await ctx.services.llm.close();
ctx.redis?.disconnect();
await ctx.database.close();
