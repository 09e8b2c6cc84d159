import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Server-side secrets planted in the environment of the build; none may end up in the bundle. */
export function plantedSecrets(): Record<string, string> {
  const tag = randomBytes(12).toString('hex');
  return {
    AUTH_SECRET: `planted-secret-${tag}-auth-0123456789`,
    OPENAI_API_KEY: `sk-planted-${tag}-openai`,
    DAILY_API_KEY: `planted-daily-${tag}`,
    SMTP_URL: `smtp://planted:planted-smtp-${tag}@smtp.invalid:587`,
    DATABASE_URL: `postgres://planted:planted-db-${tag}@db.invalid:5432/coachhub`,
  };
}

/**
 * Runs the production build of the SPA (vite.config.ts) into `outDir` with `env` added to
 * process.env for its duration, as a CI machine or a careless .env would.
 */
export async function buildWeb(outDir: string, env: Record<string, string> = {}): Promise<void> {
  const saved = new Map<string, string | undefined>();
  const overrides = { ...env, NODE_ENV: 'production' };
  for (const [name, value] of Object.entries(overrides)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  try {
    await build({
      configFile: `${PROJECT_ROOT}vite.config.ts`,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
