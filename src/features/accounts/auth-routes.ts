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
    const body = await authJson<{ user?: { id: string } }>(response);
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
    schema: { tags: ['auth'], summary: 'Sign out (ends the cookie session)', response: { 200: z.object({ success: z.boolean() }) } },
  }, async (request, reply) => {
    const response = await callAuth(auth, config.PUBLIC_URL, request, {});
    relayHeaders(response, reply);
    return { success: response.ok };
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
    return accessTokens.refresh(session.token);
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

  // Everything else better-auth offers (get-session, change-password…) is relayed as is.
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    config: { auth: 'public', rateLimit: perMinute(config.RATE_LIMIT_AUTH_PER_MINUTE) },
    schema: { hide: true },
    handler: async (request, reply) => {
      const response = await callAuth(auth, config.PUBLIC_URL, request);
      relayHeaders(response, reply);
      const text = await response.text();
      if (response.status >= 400) {
        throw authErrorToAppError(response.status, text ? (JSON.parse(text) as { code?: string; message?: string }) : null);
      }
      return reply.status(response.status).send(text || null);
    },
  });
}
