import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth-hook.js';
import { perMinute } from '../../platform/rate-limit.js';
import { ZEvaluation, ZEvaluationList, ZEvaluationListQuery, ZEvaluationRunInput } from '../../shared/api/evaluation.js';
import type { Evaluations } from './evaluations.js';

const ZIdParams = z.object({ id: z.string().min(1).max(64) });

/** Evaluations over HTTP: read them, list mine, (re-)run one. Scoping is the service's (scope.ts). */
export async function evaluationRoutes(app: FastifyInstance, deps: { evaluations: Evaluations; aiPerMinute: number }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['evaluations'];
  const { evaluations } = deps;

  r.get('/api/evaluations', {
    schema: { tags, summary: 'My evaluations (an admin: the organization’s), newest first, cursor-paginated', querystring: ZEvaluationListQuery, response: { 200: ZEvaluationList } },
  }, async (request) => evaluations.list(actorOf(request), request.query));

  r.get('/api/evaluations/:id', {
    schema: { tags, summary: 'An evaluation: status, scorecard with quoted evidence, delivery metrics', params: ZIdParams, response: { 200: z.object({ evaluation: ZEvaluation }) } },
  }, async (request) => ({ evaluation: await evaluations.get(actorOf(request), request.params.id) }));

  r.get('/api/conversations/:id/evaluation', {
    schema: { tags, summary: 'The evaluation of a conversation (404 until one was asked for)', params: ZIdParams, response: { 200: z.object({ evaluation: ZEvaluation }) } },
  }, async (request) => ({ evaluation: await evaluations.forConversation(actorOf(request), request.params.id) }));

  r.post('/api/conversations/:id/evaluation', {
    config: { rateLimit: perMinute(deps.aiPerMinute) },
    schema: {
      tags,
      summary: 'Evaluate a conversation again, in the background (its owner or an admin; only an admin may change the rubric, kind or language)',
      params: ZIdParams,
      body: ZEvaluationRunInput.nullish().describe('Optional; without a body the evaluation re-runs as it is'),
      response: { 202: z.object({ evaluation: ZEvaluation }) },
    },
  }, async (request, reply) => reply.status(202).send({ evaluation: await evaluations.rerun(actorOf(request), request.params.id, request.body ?? {}) }));
}
