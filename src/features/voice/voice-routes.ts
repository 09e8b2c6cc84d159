import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/auth-hook.js';
import { perMinute } from '../../platform/rate-limit.js';
import { ZCreateVoiceSession, ZVoiceSessionCredentials } from '../../shared/api/voice.js';
import type { VoiceSessions } from './voice-sessions.js';

export async function voiceRoutes(app: FastifyInstance, deps: { voiceSessions: VoiceSessions; aiPerMinute: number }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/voice/sessions', {
    config: { rateLimit: perMinute(deps.aiPerMinute) },
    schema: {
      tags: ['voice'],
      summary: 'Short-lived credentials to start a realtime voice session (OpenAI Realtime or the self-hosted engine)',
      body: ZCreateVoiceSession,
      response: { 201: ZVoiceSessionCredentials },
    },
  }, async (request, reply) => {
    const credentials = await deps.voiceSessions.create(actorOf(request), request.body);
    request.log.info({ provider: credentials.provider, model: credentials.model }, 'voice session credentials issued');
    return reply.status(201).send(credentials);
  });
}
