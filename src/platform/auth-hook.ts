import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../shared/accounts.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';

/**
 * Routes are private by default: a route opts out with `config: { auth: 'public' }` (or
 * 'optional' to read the actor when present) and can require roles with `config: { roles }`.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'public' | 'optional' | 'required';
    roles?: Role[];
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface ActorResolvers {
  /** Bearer credential → actor (API key or access token); throws UNAUTHENTICATED. */
  fromBearer(token: string): Promise<Actor>;
  /** Cookie session → actor, or null when there is no valid session. */
  fromCookies(request: FastifyRequest): Promise<Actor | null>;
  /** Origins allowed to make cookie-authenticated writes. */
  trustedOrigins: string[];
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerAuthHook(app: FastifyInstance, resolvers: ActorResolvers): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const mode = config?.auth ?? 'required';
    // Unmatched routes fall through to the 404 handler; the docs UI is public by nature.
    if (mode === 'public' || !request.url.startsWith('/api/') || request.url.startsWith('/api/docs') || request.is404) return;

    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
      request.actor = await resolvers.fromBearer(match[1]!);
    } else {
      request.actor = await resolvers.fromCookies(request);
      // Cookies ride along on cross-site requests: writes must come from a trusted origin.
      const origin = request.headers.origin;
      if (request.actor && UNSAFE.has(request.method) && origin && !resolvers.trustedOrigins.includes(origin)) {
        throw new AppError('FORBIDDEN', 'Cross-site request refused.');
      }
    }
    if (mode === 'required' && !request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send a Bearer token.');
    if (request.actor && config?.roles && !config.roles.includes(request.actor.role)) {
      throw new AppError('FORBIDDEN', `This action needs the role ${config.roles.join(' or ')}.`);
    }
  });
}

/** The actor of a route that requires authentication (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send a Bearer token.');
  return request.actor;
}
