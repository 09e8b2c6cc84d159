import 'dotenv/config';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { nodeRuntimeStatus, runtimeWarning, testedNodeLines } from './platform/node-runtime.js';
import { seedDemoAtStart } from './seed/demo-seed.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { app, context } = await buildApp(config);
  const runtime = nodeRuntimeStatus(process.version, new Date());
  const warning = runtimeWarning(runtime, testedNodeLines());
  if (warning) app.log.warn({ node: runtime }, warning);
  // Demo data outside production by default (SEED_DEMO); its logins go to stdout once, never to the log.
  if (await seedDemoAtStart(context, (text) => process.stdout.write(text))) app.log.info('Empty database: demo data loaded.');
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`Coach Hub ${config.version} is running at ${config.PUBLIC_URL} (database: ${context.database.kind}, redis: ${context.redis ? 'on' : 'off'})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
