import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';

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

export function createHealth(deps: { version: string; database: Database; redis: Redis | null; contributors: HealthContributor[]; startedAtMs: number }) {
  return async function health() {
    const database = { kind: deps.database.kind, ok: await deps.database.ping().then(() => true, () => false) };
    const redis = {
      inUse: deps.redis !== null,
      ok: deps.redis ? await deps.redis.ping().then((r) => r === 'PONG', () => false) : null,
    };
    const providers: Record<string, Record<string, unknown>> = {};
    const missing: MissingComponent[] = [];
    for (const c of deps.contributors) {
      const r = await c.report().catch((err: unknown) => ({ active: { error: String(err) }, missing: [] }));
      providers[c.name] = r.active;
      missing.push(...(r.missing ?? []));
    }
    const healthy = database.ok && redis.ok !== false;
    return {
      status: healthy ? (missing.length ? 'degraded' : 'ok') : 'error',
      version: deps.version,
      uptimeMs: Date.now() - deps.startedAtMs,
      database,
      redis,
      providers,
      missing,
    } as const;
  };
}
