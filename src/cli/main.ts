import 'dotenv/config';
import { buildContext } from '../app.js';
import { loadConfig } from '../config/config.js';
import { isAppError } from '../platform/errors.js';
import { CLI_HELP, runCli } from './commands.js';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
  console.log(CLI_HELP);
  process.exit(0);
}
// Quiet by default: the CLI's output is its own lines (LOG_LEVEL still wins when set).
const ctx = await buildContext(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
let code = 0;
try {
  await runCli(argv, ctx, (line) => console.log(line));
} catch (err) {
  code = 1;
  console.error(`Error: ${isAppError(err) || err instanceof TypeError ? err.message : String(err)}`);
} finally {
  await ctx.services.llm.close();
  ctx.redis?.disconnect();
  await ctx.database.close();
}
process.exit(code);
