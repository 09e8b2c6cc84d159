import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import type { RateLimitState } from './rate-limit.js';

/** A component another part of the app could not find (a Debian package, a model…). */
export interface MissingComponent {
  component: string;
  reason: string;
  /** What degrades without it, in one sentence. */
  impact: string;
}

/** Providers (AI, voice, video…) report themselves to /api/health through this. */
export interface HealthContributor {
  name: string;
  report(): Promise<{ active: Record<string, unknown>; missing?: MissingComponent[] }>;
}

export function createHealth(deps: {
  version: string;
  database: Database;
  redis: Redis | null;
  contributors: HealthContributor[];
  startedAtMs: number;
  rateLimits: () => RateLimitState;
}) {
  return async function health() {
    const database = { kind: deps.database.kind, ok: await deps.database.ping().then(() => true, () => false) };
    // A connection that is not up is not pinged: ioredis would queue the command and retry it.
    const redis = {
      inUse: deps.redis !== null,
      ok: deps.redis ? deps.redis.status === 'ready' && (await deps.redis.ping().then((r) => r === 'PONG', () => false)) : null,
    };
    const rateLimits = deps.rateLimits();
    const providers: Record<string, Record<string, unknown>> = {};
    const missing: MissingComponent[] = [];
    for (const c of deps.contributors) {
      const r = await c.report().catch((err: unknown) => ({ active: { error: String(err) }, missing: [] }));
      providers[c.name] = r.active;
      missing.push(...(r.missing ?? []));
    }
    // Redis down is degraded, not an error: everything that uses it falls back to this instance.
    if (redis.ok === false) {
      missing.push({ component: 'redis', reason: 'unreachable', impact: 'rate limits are counted per instance until it answers; video call signaling, which goes through it, fails' });
    }
    return {
      status: database.ok ? (missing.length ? 'degraded' : 'ok') : 'error',
      version: deps.version,
      uptimeMs: Date.now() - deps.startedAtMs,
      database,
      redis,
      rateLimits,
      providers,
      missing,
    } as const;
  };
}
