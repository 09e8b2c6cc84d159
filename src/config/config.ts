import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { voiceConfigSchema } from './voice-config.js';
import { voiceLimitsConfigSchema } from './voice-limits-config.js';
import { llmConfigSchema } from './llm-config.js';
import { videoConfigSchema } from './video-config.js';
import { projectRoot } from './paths.js';

/** Empty strings in the environment mean "unset" (so `FOO=` in .env does not break a default). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const bool = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((s) => ['true', '1', 'yes'].includes(s))]),
  );

/**
 * TRUST_PROXY: which proxies may tell the client address (X-Forwarded-For), in the form Fastify's
 * `trustProxy` takes: a list of addresses / CIDR ranges / the names `loopback`, `linklocal`,
 * `uniquelocal`. Unset, `false` or `0`: no proxy is trusted. Refused with a message: `true`
 * ("trust every hop": anyone could choose the address their rate limits count under) and a hop
 * count (Fastify 5.12 no longer honours one: it cannot tell the proxy from a client connecting
 * directly with a forged header). ADR 00XX-trusted-proxies.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  try {
    new BlockList().addSubnet(address!, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    return true;
  } catch {
    return false;
  }
}
const trustProxy = z.preprocess(
  (v) => (v === undefined || v === '' ? 'false' : v),
  z.string().transform((value, ctx): false | string[] => {
    const text = value.trim();
    if (['false', 'no', '0'].includes(text.toLowerCase())) return false;
    if (['true', 'yes'].includes(text.toLowerCase())) {
      ctx.addIssue({ code: 'custom', message: 'trusting every proxy lets clients forge their address: give the number of proxies in front (e.g. 1) or their addresses/CIDRs' });
      return z.NEVER;
    }
    if (/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'a hop count cannot tell the proxy from a client that connects directly with a forged header: give the proxies\' addresses or CIDRs (e.g. 10.0.0.0/8, loopback)' });
      return z.NEVER;
    }
    const entries = text.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = entries.find((entry) => !isProxyAddress(entry));
    if (bad !== undefined || entries.length === 0) {
      ctx.addIssue({ code: 'custom', message: `not a hop count nor a list of addresses/CIDRs${bad !== undefined ? ` ("${bad.slice(0, 60)}")` : ''}` });
      return z.NEVER;
    }
    return entries;
  }),
);

const urlList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.url()));

/**
 * Every setting Coach Hub reads. Later features add their fragments here, so this stays
 * the single list that .env.example documents. Values the browser may see are in `publicConfig`.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optional(z.url()),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optional(z.url().refine((u) => /^postgres(ql)?:/.test(u), 'must be a postgres:// URL')),
  REDIS_URL: optional(z.url().refine((u) => /^rediss?:/.test(u), 'must be a redis:// URL')),
  REDIS_KEY_PREFIX: z.string().default('coachhub:'),
  AUTH_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  ACCESS_TOKEN_TTL_MS: z.coerce.number().int().min(10_000).default(15 * 60_000),
  SESSION_TTL_MS: z.coerce.number().int().min(60_000).default(30 * 24 * 3_600_000),
  SIGNUP_ENABLED: bool(true),
  SIGNUP_ORGANIZATION: z.string().min(1).default('demo'),
  /** Unset: demo data in development and test, never in production (SEED_DEMO=true forces it). */
  SEED_DEMO: optional(bool(false)),
  CORS_ORIGINS: optional(urlList),
  TRUST_PROXY: trustProxy,
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Failed sign-ins one account may take in RATE_LIMIT_ACCOUNT_WINDOW_MS, whatever the addresses. */
  RATE_LIMIT_ACCOUNT_FAILURES: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_ACCOUNT_WINDOW_MS: z.coerce.number().int().min(1_000).default(15 * 60_000),
  RATE_LIMIT_AI_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).extend(llmConfigSchema.shape).extend(voiceConfigSchema.shape).extend(voiceLimitsConfigSchema.shape).extend(videoConfigSchema.shape);

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends Omit<RawConfig, 'AUTH_SECRET' | 'PUBLIC_URL' | 'CORS_ORIGINS' | 'SEED_DEMO'> {
  /** Load the demo data into an empty database at start (default: outside production only). */
  SEED_DEMO: boolean;
  AUTH_SECRET: string;
  PUBLIC_URL: string;
  CORS_ORIGINS: string[];
  version: string;
  databaseKind: 'embedded' | 'postgresql';
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once. A bad value throws ConfigError naming the variable.
 * Without AUTH_SECRET a random one is created once and kept in DATA_DIR, so the zero-config
 * start keeps sessions across restarts; production deployments should set it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // One line per variable (a bad URL can fail both the format and the refinement).
    const byVariable = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '(root)');
      if (!byVariable.has(variable)) byVariable.set(variable, issue.message);
    }
    throw new ConfigError([...byVariable].map(([variable, message]) => ({ variable, message })));
  }
  const raw = parsed.data;
  const dataDir = resolve(raw.DATA_DIR);
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, '');
  return {
    ...raw,
    DATA_DIR: dataDir,
    PUBLIC_URL: publicUrl,
    AUTH_SECRET: raw.AUTH_SECRET ?? persistedSecret(dataDir),
    CORS_ORIGINS: raw.CORS_ORIGINS ?? [publicUrl],
    SEED_DEMO: raw.SEED_DEMO ?? raw.NODE_ENV !== 'production',
    version: packageVersion(),
    databaseKind: raw.DATABASE_URL ? 'postgresql' : 'embedded',
  };
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The only configuration the browser may see (served by GET /api/config): an explicit list,
 * never a spread of the config. `ai` says which engine answers (the UI labels offline mode),
 * `voice` who answers realtime voice and whether the server can hear speech.
 */
export function publicConfig(
  config: Config,
  ai: { provider: string; model: string; offline: boolean },
  voice: { provider: 'openai' | 'local'; speechInput: boolean },
) {
  return {
    version: config.version,
    signupEnabled: config.SIGNUP_ENABLED,
    ai: { provider: ai.provider, model: ai.model, offline: ai.offline },
    voice: { provider: voice.provider, speechInput: voice.speechInput },
  };
}
