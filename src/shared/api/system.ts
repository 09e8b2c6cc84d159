import { z } from 'zod';

/**
 * GET /api/config: the only settings the browser may see. `voice` says who answers realtime
 * voice and whether the server can hear speech (the voice screens offer text input when not).
 */
export const ZPublicConfig = z.object({
  version: z.string(),
  signupEnabled: z.boolean(),
  /** Which engine answers; `offline` means the built-in rule engine (labelled in the UI). */
  ai: z.object({ provider: z.string(), model: z.string(), offline: z.boolean() }),
  voice: z.object({ provider: z.enum(['openai', 'local']), speechInput: z.boolean() }),
});
export type PublicConfig = z.infer<typeof ZPublicConfig>;

const ZStatus = z.enum(['ok', 'degraded', 'error']);

/** GET /api/health for anyone (load balancers, uptime probes): liveness only. */
export const ZLiveness = z.strictObject({ status: ZStatus });

/** GET /api/health for an admin: every component's state. */
export const ZHealth = z.object({
  status: ZStatus,
  version: z.string(),
  uptimeMs: z.number(),
  database: z.object({ kind: z.enum(['embedded', 'postgresql']), ok: z.boolean() }),
  redis: z.object({ inUse: z.boolean(), ok: z.boolean().nullable() }),
  /** Where rate limits are counted: Redis (shared), or this instance's memory (`fallback`: Redis is down). */
  rateLimits: z.object({ store: z.enum(['redis', 'memory']), fallback: z.boolean() }),
  providers: z.record(z.string(), z.record(z.string(), z.unknown())),
  missing: z.array(z.object({ component: z.string(), reason: z.string(), impact: z.string() })),
});
