import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicConfig, type Config } from '../../config/config.js';
import type { LlmService } from '../../providers/llm/index.js';
import type { createHealth } from '../../platform/health.js';
import { ZHealth, ZLiveness, ZPublicConfig } from '../../shared/api/system.js';

/** Who answers realtime voice and whether the server can hear speech (GET /api/config). */
export type VoiceAvailability = () => Promise<{ provider: 'openai' | 'local'; speechInput: boolean }>;

export async function systemRoutes(
  app: FastifyInstance,
  deps: { config: Config; health: ReturnType<typeof createHealth>; llm: LlmService; voice: VoiceAvailability },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ZHealthAnswer = z.union([ZHealth, ZLiveness]);

  r.get('/api/health', {
    // Anyone gets the liveness answer; an admin's credential also gets every component's details
    // (versions, providers, what is missing), which tell an attacker what to aim at.
    config: { auth: 'optional' },
    schema: {
      tags: ['system'],
      summary: 'Liveness ({ status }) for anyone; version, database, Redis, rate limits, providers and missing components for admins',
      response: { 200: ZHealthAnswer, 503: ZHealthAnswer },
    },
  }, async (request, reply) => {
    const report = await deps.health();
    const code = report.status === 'error' ? 503 : 200;
    if (request.actor?.role !== 'admin') return reply.status(code).send({ status: report.status });
    return reply.status(code).send(report);
  });

  r.get('/api/config', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'The settings the browser may see', response: { 200: ZPublicConfig } },
  }, async () => publicConfig(deps.config, deps.llm.info(), await deps.voice()));
}
