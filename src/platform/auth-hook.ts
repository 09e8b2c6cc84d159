import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKeyScope, type Role } from '../shared/accounts.js';
import { requireScope, type Actor } from './actor.js';
import { AppError } from './errors.js';

/**
 * Routes are private by default: a route opts out with `config: { auth: 'public' }` (or
 * 'optional' to read the actor when present) and can require roles with `config: { roles }`.
 * An organization API key also needs the scope its route asks for (`ActorResolvers.scopeOf`).
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

/** What an API key needs for a route: one scope, or `any` (every key may, e.g. GET /api/me). */
export type RouteScope = ApiKeyScope | 'any';

export interface ActorResolvers {
  /** Bearer credential → actor (API key or access token); throws UNAUTHENTICATED. */
  fromBearer(token: string): Promise<Actor>;
  /** Cookie session → actor, or null when there is no valid session. */
  fromCookies(request: FastifyRequest): Promise<Actor | null>;
  /** Origins allowed to make cookie-authenticated writes. */
  trustedOrigins: string[];
  /** The scope an API key needs for a route (its pattern, e.g. `/api/chat/sessions/:sessionId`). */
  scopeOf(method: string, routeUrl: string): RouteScope;
}

/** One registered route as the auth hook sees it (GET /api/… listing, tests). */
export interface RouteAccess {
  method: string;
  url: string;
  auth: 'public' | 'optional' | 'required' | 'unchecked';
  roles: Role[] | null;
  apiKeyScope: RouteScope | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, with the access the auth hook enforces on it. */
    routeAccess(): RouteAccess[];
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether the auth hook guards a route, decided on the route's PATTERN (what the router matched),
 * never on the raw URL: `/%61pi/users` matches `/api/users` once decoded, and a test of the raw
 * text let it through without an actor. The docs UI and non-API routes (the SPA, `/v1/realtime`,
 * which checks its own credential) are outside the hook.
 */
function guarded(routeUrl: string | undefined): routeUrl is string {
  if (routeUrl === undefined || !routeUrl.startsWith('/api/')) return false;
  return !(routeUrl === '/api/docs' || routeUrl.startsWith('/api/docs/'));
}

export function registerAuthHook(app: FastifyInstance, resolvers: ActorResolvers): void {
  app.decorateRequest('actor', null);
  const routes: RouteAccess[] = [];
  const scopes = new Map<string, RouteScope>();
  app.decorate('routeAccess', () => routes.map((r) => ({ ...r })));
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const mode = route.config?.auth ?? 'required';
    for (const method of methods) {
      const apiKeyScope = guarded(route.url) && mode !== 'public' ? resolvers.scopeOf(method, route.url) : null;
      if (apiKeyScope) scopes.set(`${method} ${route.url}`, apiKeyScope);
      routes.push({ method, url: route.url, auth: guarded(route.url) ? mode : 'unchecked', roles: route.config?.roles ?? null, apiKeyScope });
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const mode = config?.auth ?? 'required';
    const routeUrl = request.routeOptions.url;
    // Unmatched routes fall through to the 404 handler; the docs UI is public by nature.
    if (mode === 'public' || request.is404 || !guarded(routeUrl)) return;

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
    if (request.actor?.kind === 'apiKey') {
      // A route nobody classified needs `admin`: least privilege when a route is added.
      const method = request.method === 'HEAD' && !scopes.has(`HEAD ${routeUrl}`) ? 'GET' : request.method;
      const needed = scopes.get(`${method} ${routeUrl}`) ?? 'admin';
      if (needed !== 'any') requireScope(request.actor, needed);
    }
  });
}

/** The actor of a route that requires authentication (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send a Bearer token.');
  return request.actor;
}
