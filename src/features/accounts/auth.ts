import { randomUUID } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { scrubError, scrubText } from '../../platform/logger.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/client.js';
import { accounts, organizations, sessions, users, verifications } from '../../db/core-tables.js';
import { DEFAULT_TIME_ZONE } from '../../shared/accounts.js';
import { canonicalTimeZone, isTimeZone } from '../../shared/time-zone.js';
import { z } from 'zod';
import { ZName, ZUpdateMe } from '../../shared/api/accounts.js';
import { createDemoPasswordCheck } from './demo-accounts.js';

/**
 * better-auth's own update-user route writes our columns with whatever it is sent: a locale "xx"
 * made every answer carrying that user (GET /api/me, an admin's user list) fail its response
 * schema (500). A profile change follows PATCH /api/me's rules, or is refused (400 naming the field).
 */
const ZRelayedProfile = ZUpdateMe.extend({
  // better-auth's own field, unused by Coach Hub: bounded so it cannot bloat every user answer.
  image: z.string().max(2048).nullable().optional(),
});

function checkedProfile<T extends Record<string, unknown>>(data: T): T {
  const profile = { name: data.name, locale: data.locale, timeZone: data.timeZone, image: data.image };
  if (Object.values(profile).every((v) => v === undefined)) return data;
  const parsed = ZRelayedProfile.safeParse(profile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'body');
    throw new APIError('BAD_REQUEST', { code: 'INVALID_PROFILE', message: `Invalid ${field}: ${issue.message}`, field });
  }
  const out: Record<string, unknown> = { ...data };
  for (const [key, value] of Object.entries(parsed.data)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** The header better-auth reads the client address from; auth-bridge.ts sets it to `request.ip`. */
export const CLIENT_IP_HEADER = 'x-coachhub-client-ip';

/**
 * better-auth owns passwords (scrypt), cookie sessions and the session table. We keep our
 * tenancy columns on its user table; a public sign-up joins the configured organization as a
 * member — admins and coaches are created by an admin or the CLI (create-user.ts).
 */
export function createAuth(config: Config, db: Db, logger: Logger) {
  const secure = config.PUBLIC_URL.startsWith('https://') || config.NODE_ENV === 'production';
  const hasPublishedAdminPassword = createDemoPasswordCheck(db);
  return betterAuth({
    appName: 'Coach Hub',
    baseURL: config.PUBLIC_URL,
    basePath: '/api/auth',
    secret: config.AUTH_SECRET,
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    trustedOrigins: config.CORS_ORIGINS,
    emailAndPassword: {
      enabled: true,
      disableSignUp: !config.SIGNUP_ENABLED,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // A new password ends every session (a reset is often the answer to a stolen one).
      revokeSessionsOnPasswordReset: true,
    },
    session: {
      expiresIn: Math.round(config.SESSION_TTL_MS / 1000),
      updateAge: 24 * 3600,
    },
    user: {
      additionalFields: {
        organizationId: { type: 'string', required: false, input: false },
        role: { type: 'string', required: false, input: false, defaultValue: 'member' },
        plan: { type: 'string', required: false, input: false, defaultValue: 'FREE' },
        locale: { type: 'string', required: false, input: true, defaultValue: 'fr' },
        timeZone: { type: 'string', required: false, input: true, defaultValue: DEFAULT_TIME_ZONE },
      },
    },
    // Fastify's @fastify/rate-limit (Redis-backed when configured) limits these routes instead.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // better-auth's messages and arguments can name an email or hold a database error with its
    // values: at error level only their scrubbed form is logged (errors without params or detail).
    logger: {
      log: (level, message, ...args) => {
        if (level !== 'error') return logger.debug({ args }, message);
        const [err, ...more] = args.filter((a) => a instanceof Error);
        logger.error({ err, ...(more.length ? { more: more.map((e) => scrubError(e)) } : {}) }, scrubText(message));
      },
    },
    advanced: {
      useSecureCookies: secure,
      // better-auth turns its Origin and callbackURL checks off when NODE_ENV=test: keep them on, so
      // tests see what production does (a foreign callbackURL is a 403, not a redirect or a 500).
      disableOriginCheck: false,
      cookiePrefix: 'coachhub',
      database: { generateId: () => randomUUID() },
      // The address Fastify resolved (TRUST_PROXY), set by auth-bridge.ts's toHeaders.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            if (user.organizationId) return { data: user };
            const [org] = await db
              .select({ id: organizations.id })
              .from(organizations)
              .where(eq(organizations.slug, config.SIGNUP_ORGANIZATION));
            if (!org) return false;
            // Whoever knows the README could administer the members who sign up there.
            if (await hasPublishedAdminPassword(org.id)) {
              throw new APIError('FORBIDDEN', {
                code: 'DEMO_ADMIN_PASSWORD',
                message: 'Public sign-up is closed: an administrator of the sign-up organization still has its published demo password. Change that password to open sign-up.',
              });
            }
            // Our sign-up route validates the name; this holds for any route better-auth may add.
            const name = ZName.safeParse(user.name);
            if (!name.success) throw new APIError('BAD_REQUEST', { code: 'INVALID_PROFILE', message: `Invalid name: ${name.error.issues[0]!.message}`, field: 'name' });
            const locale = user.locale === 'en' ? 'en' : 'fr';
            // better-auth's own routes skip our zod schema: an unknown zone falls back rather than being stored.
            const timeZone = typeof user.timeZone === 'string' && isTimeZone(user.timeZone) ? canonicalTimeZone(user.timeZone) : DEFAULT_TIME_ZONE;
            return { data: { ...user, name: name.data, organizationId: org.id, role: 'member', plan: 'FREE', locale, timeZone } };
          },
        },
        update: {
          before: async (user) => ({ data: checkedProfile(user) }),
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
