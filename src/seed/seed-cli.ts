import 'dotenv/config';
import { buildContext } from '../app.js';
import { loadConfig } from '../config/config.js';
import { demoLoginLines, seedDemo } from './demo-seed.js';

// `npm run db:seed`: loads (or completes) the demo data; safe to run twice.
// Quiet by default: the CLI's output is its own lines (LOG_LEVEL still wins when set).
const ctx = await buildContext(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
// Production: random passwords for the accounts created now, shown only here.
const result = await seedDemo(ctx, { passwords: ctx.config.NODE_ENV === 'production' ? 'random' : 'published' });
console.log(`Demo organization "${result!.organization.name}" ready. Logins:`);
for (const line of demoLoginLines(result!.logins)) console.log(line);
await ctx.services.llm.close();
ctx.redis?.disconnect();
await ctx.database.close();
