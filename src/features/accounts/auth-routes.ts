import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/client.js';
import { users } from '../../db/core-tables.js';
import { AppError } from '../../platform/errors.js';
import { failureLimit, perMinute } from '../../platform/rate-limit.js';
import type { AccessTokens } from './access-tokens.js';
import type { Auth } from './auth.js';
import type { Organizations } from './organizations.js';
import { authErrorToAppError, authJson, callAuth, relayHeaders, toHeaders } from './auth-bridge.js';
import { ZRefreshRequest, ZSignInRequest, ZSignUpRequest, ZTokenRequest, ZTokenResponse, ZUserResponse } from '../../shared/api/accounts.js';
import { userView } from './users.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A session token is the value of the HTTP-only cookie: the page's JavaScript must never see it.
 * better-auth puts it in its JSON answers (get-session, list-sessions, change-password), so every
 * `token` property is removed from what is relayed.
 */
function withoutTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'token').map(([key, v]) => [key, withoutTokens(v)]));
}

interface Deps {
  config: Config;
  db: Db;
  auth: Auth;
  accessTokens: AccessTokens;
  organizations: Organizations;
}

/**
 * Sign-up / sign-in / sign-out for the web app (HTTP-only cookie sessions, by better-auth) and
 * the token endpoints for API clients. Every other better-auth route stays reachable under
 * /api/auth/* (e.g. change-password) but undocumented.
 */
export async function authRoutes(app: FastifyInstance, { config, db, auth, accessTokens, organizations }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const authLimit = { rateLimit: perMinute(config.RATE_LIMIT_AUTH_PER_MINUTE), auth: 'public' as const };
  // Per address (authLimit) is not enough: many addresses can try one account's password. Failed
  // sign-ins are also counted per account (its email, hashed: keys may live in Redis).
  const accountFailures = failureLimit(app, {
    name: 'signin-account',
    max: config.RATE_LIMIT_ACCOUNT_FAILURES,
    windowMs: config.RATE_LIMIT_ACCOUNT_WINDOW_MS,
    key: (request) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return typeof email === 'string' ? createHash('sha256').update(email.trim().toLowerCase()).digest('base64url') : null;
    },
  });
  /** Runs a sign-in under the per-account limit: refused once it is reached, a failure counts one. */
  const limitedSignIn = async <T>(request: FastifyRequest, signIn: () => Promise<T>): Promise<T> => {
    await accountFailures.check(request);
    try {
      return await signIn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHENTICATED') await accountFailures.fail(request);
      throw err;
    }
  };
  const loadUser = async (id: string) => {
    const [row] = await db.select().from(users).where(eq(users.id, id));
    if (!row) throw new AppError('INTERNAL', 'user vanished after sign-in');
    return userView(row);
  };

  r.post('/api/auth/sign-up/email', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Create an account (joins the public organization as a member) and sign in', body: ZSignUpRequest, response: { 200: ZUserResponse } },
  }, async (request, reply) => {
    if (!config.SIGNUP_ENABLED) throw new AppError('FORBIDDEN', 'Sign-up is disabled on this server. Ask an administrator for an account.');
    if (!(await organizations.bySlug(config.SIGNUP_ORGANIZATION))) {
      throw new AppError('FORBIDDEN', 'Public sign-up is not set up on this server (its organization does not exist). Ask an administrator for an account.');
    }
    const response = await callAuth(auth, config.PUBLIC_URL, request);
    const body = await authJson<{ user?: { id: string } }>(response).catch(async (err: unknown) => {
      // Sign-ups racing for one email: better-auth's check passes for all, the unique index refuses
      // all but one, and better-auth answers FAILED_TO_CREATE_USER. That is the duplicate it is.
      const reason = err instanceof AppError ? (err.details as { reason?: unknown } | undefined)?.reason : undefined;
      if (reason === 'FAILED_TO_CREATE_USER') {
        const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, request.body.email));
        if (taken) throw new AppError('CONFLICT', 'A user with this email already exists.', { field: 'email', reason: 'USER_ALREADY_EXISTS' });
      }
      throw err;
    });
    if (!body.user) throw new AppError('INTERNAL', 'sign-up returned no user');
    relayHeaders(response, reply);
    return { user: await loadUser(body.user.id) };
  });

  r.post('/api/auth/sign-in/email', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Sign in with email and password (sets the session cookie)', body: ZSignInRequest, response: { 200: ZUserResponse } },
  }, async (request, reply) => {
    const userId = await limitedSignIn(request, async () => {
      const response = await callAuth(auth, config.PUBLIC_URL, request);
      const body = await authJson<{ user?: { id: string } }>(response);
      if (!body.user) throw new AppError('UNAUTHENTICATED', 'Invalid email or password.');
      relayHeaders(response, reply);
      return body.user.id;
    });
    return { user: await loadUser(userId) };
  });

  r.post('/api/auth/sign-out', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign out (ends the cookie session and clears the cookie; 403 from a foreign Origin)',
      response: { 200: z.object({ success: z.literal(true) }) },
    },
  }, async (request, reply) => {
    // The CSRF policy of every cookie write (platform/auth-hook.ts): a foreign Origin is refused, a
    // missing one is a client that is not a browser. better-auth's own route refused the latter
    // (and we answered 200 { success: false }); called directly, it signs out for real.
    const origin = request.headers.origin;
    if (origin && !config.CORS_ORIGINS.includes(origin)) throw new AppError('FORBIDDEN', 'Cross-site request refused.');
    const { headers } = await auth.api.signOut({ headers: toHeaders(request), returnHeaders: true });
    const cookies = headers.getSetCookie();
    if (cookies.length) void reply.header('set-cookie', cookies);
    return { success: true as const };
  });

  r.post('/api/auth/token', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Get a short-lived access token and a refresh token for API clients', body: ZTokenRequest, response: { 200: ZTokenResponse } },
  }, async (request) => {
    const session = await limitedSignIn(request, async () => {
      try {
        return await auth.api.signInEmail({ body: { email: request.body.email, password: request.body.password, rememberMe: true }, headers: toHeaders(request) });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode ?? 500;
        if (status >= 500) throw err;
        throw authErrorToAppError(status, (err as { body?: { code?: string; message?: string } }).body ?? null);
      }
    });
    return accessTokens.issue(session.token);
  });

  r.post('/api/auth/token/refresh', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Exchange a refresh token for a new access token', body: ZRefreshRequest, response: { 200: ZTokenResponse } },
  }, async (request) => accessTokens.refresh(request.body.refreshToken));

  r.post('/api/auth/token/revoke', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Revoke a refresh token and every access token minted from it', body: ZRefreshRequest, response: { 204: z.null() } },
  }, async (request, reply) => {
    await accessTokens.revoke(request.body.refreshToken);
    return reply.status(204).send(null);
  });

  // Everything else better-auth offers (get-session, change-password…) is relayed, with two changes:
  // changing a password always ends the other sessions, and no answer carries a session token.
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { auth: 'public', rateLimit: perMinute(config.RATE_LIMIT_AUTH_PER_MINUTE) },
    schema: { hide: true },
    handler: async (request, reply) => {
      const path = `/${(request.params as { '*'?: string })['*'] ?? ''}`.replace(/\/+$/, '');
      const body = path === '/change-password' && isObject(request.body) ? { ...request.body, revokeOtherSessions: true } : undefined;
      const response = await callAuth(auth, config.PUBLIC_URL, request, body);
      relayHeaders(response, reply);
      const text = await response.text();
      if (response.status >= 400) {
        throw authErrorToAppError(response.status, text ? (JSON.parse(text) as { code?: string; message?: string }) : null);
      }
      const json = text && (response.headers.get('content-type') ?? '').includes('json') ? withoutTokens(JSON.parse(text)) : undefined;
      return reply.status(response.status).send(json === undefined ? text || null : JSON.stringify(json));
    },
  });
}
