import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/auth-hook.js';
import { ZVoiceUsageQuery, ZVoiceUsageResponse } from '../../shared/api/voice.js';
import type { VoiceMinutesService } from './voice-minutes.js';

/** `GET /api/voice/usage`: a member's voice minutes this month and their sessions (the account page, the admin panel). */
export async function voiceUsageRoutes(app: FastifyInstance, deps: { voiceMinutes: VoiceMinutesService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/voice/usage', {
    schema: {
      tags: ['voice'],
      summary: "A member's voice minutes this month (allowance, used, remaining, in seconds) and this month's sessions; userId for admins and API keys",
      querystring: ZVoiceUsageQuery,
      response: { 200: ZVoiceUsageResponse },
    },
  }, async (request) => deps.voiceMinutes.usage(actorOf(request), request.query.userId));
}
