import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicConfig, type Config } from '../../config/config.js';
import type { LlmService } from '../../providers/llm/index.js';
import type { createHealth } from '../../platform/health.js';

const ZHealth = z.object({
  status: z.enum(['ok', 'degraded', 'error']),
  version: z.string(),
  uptimeMs: z.number(),
  database: z.object({ kind: z.enum(['embedded', 'postgresql']), ok: z.boolean() }),
  redis: z.object({ inUse: z.boolean(), ok: z.boolean().nullable() }),
  providers: z.record(z.string(), z.record(z.string(), z.unknown())),
  missing: z.array(z.object({ component: z.string(), reason: z.string(), impact: z.string() })),
});

const ZPublicConfig = z.object({
  version: z.string(),
  signupEnabled: z.boolean(),
  ai: z.object({ provider: z.string(), model: z.string(), offline: z.boolean() }),
});

export async function systemRoutes(
  app: FastifyInstance,
  deps: { config: Config; health: ReturnType<typeof createHealth>; llm: LlmService },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/health', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'Version, database, Redis, active providers and missing components', response: { 200: ZHealth, 503: ZHealth } },
  }, async (_request, reply) => {
    const report = await deps.health();
    return reply.status(report.status === 'error' ? 503 : 200).send(report);
  });

  r.get('/api/config', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'The settings the browser may see', response: { 200: ZPublicConfig } },
  }, async () => publicConfig(deps.config, deps.llm.info()));
}
