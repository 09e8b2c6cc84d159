/**
 * Which requests end voice sessions: a user's "sign out everywhere" (better-auth's
 * `/api/auth/revoke-sessions`), an admin deleting a user, an admin revoking an API key. Hooks on
 * the matched routes, after a successful answer, publish an ejection (voice-ejections.ts) that
 * every instance applies to its own sessions — the account routes stay as they are.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ejection, VoiceEjections } from './voice-ejections.js';

const REVOKE_SESSIONS = 'revoke-sessions';

export function voiceEjectionHooks(
  app: FastifyInstance,
  deps: {
    ejections: VoiceEjections;
    /** The user of the request's cookie session (read before better-auth ends it). */
    userOfCookies(request: FastifyRequest): Promise<string | null>;
    logger: { warn(fields: object, message: string): void };
  },
): void {
  const signingOutEverywhere = new WeakMap<FastifyRequest, string>();
  const wildcard = (request: FastifyRequest) => (request.params as { '*'?: string } | undefined)?.['*'];

  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/api/auth/*' || wildcard(request) !== REVOKE_SESSIONS) return;
    const userId = await deps.userOfCookies(request).catch(() => null);
    if (userId) signingOutEverywhere.set(request, userId);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 300) return;
    const route = request.routeOptions.url;
    const id = (request.params as { id?: string } | undefined)?.id;
    let ejection: Ejection | undefined;
    if (request.method === 'DELETE' && route === '/api/users/:id' && id) ejection = { target: { userId: id }, cause: 'user_deleted' };
    else if (request.method === 'DELETE' && route === '/api/api-keys/:id' && id) ejection = { target: { apiKeyId: id }, cause: 'api_key_revoked' };
    else {
      const userId = signingOutEverywhere.get(request);
      if (userId) ejection = { target: { userId }, cause: 'signed_out' };
    }
    if (!ejection) return;
    await deps.ejections.publish(ejection).catch((err: unknown) => deps.logger.warn({ err, cause: ejection.cause }, 'voice sessions not ejected'));
  });
}
