import { z } from 'zod';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, DEFAULT_TIME_ZONE, LOCALES, PLANS, ROLES } from '../accounts.js';
import { ZTimeZone } from '../time-zone.js';

export const ZEmail = z.string().trim().toLowerCase().pipe(z.email({ message: 'must be a valid email address' })).describe('Email address');
export const ZPassword = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');
export const ZName = z.string().trim().min(1, 'is required').max(120);
export const ZId = z.string().min(1).max(64);

export const ZUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organizationId: z.string(),
  role: z.enum(ROLES),
  plan: z.enum(PLANS),
  locale: z.enum(LOCALES),
  timeZone: z.string().describe('IANA time zone the user reads times in (emails)'),
  createdAt: z.string(),
});

export const ZOrganization = z.object({ id: z.string(), name: z.string(), slug: z.string() });

export const ZSignUpRequest = z.object({
  name: ZName,
  email: ZEmail,
  password: ZPassword,
  locale: z.enum(LOCALES).optional(),
  timeZone: ZTimeZone.optional().describe(`The browser's IANA time zone; ${DEFAULT_TIME_ZONE} when omitted`),
});
export const ZSignInRequest = z.object({ email: ZEmail, password: z.string().min(1, 'is required').max(128), rememberMe: z.boolean().optional() });
export const ZUserResponse = z.object({ user: ZUser });

export const ZTokenRequest = z.object({ email: ZEmail, password: z.string().min(1, 'is required').max(128) });
export const ZTokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().describe('Seconds until the access token expires'),
  expiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export const ZRefreshRequest = z.object({ refreshToken: z.string().min(1, 'is required').max(512) });

export const ZMeResponse = z.object({
  user: ZUser.nullable(),
  organization: ZOrganization,
  via: z.enum(['session', 'accessToken', 'apiKey']),
});
export const ZUpdateMe = z.object({ name: ZName.optional(), locale: z.enum(LOCALES).optional(), timeZone: ZTimeZone.optional() });
export const ZUpdateUser = ZUpdateMe.extend({ role: z.enum(ROLES).optional(), plan: z.enum(PLANS).optional() });
export const ZCreateUser = z.object({
  name: ZName,
  email: ZEmail,
  password: ZPassword,
  role: z.enum(ROLES).default('member'),
  plan: z.enum(PLANS).default('FREE'),
  locale: z.enum(LOCALES).default('fr'),
  timeZone: ZTimeZone.default(DEFAULT_TIME_ZONE),
});

export const ZApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)).describe('What the key may do; admin is everything'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ZCreateApiKey = z.object({
  name: ZName,
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .max(API_KEY_SCOPES.length)
    .optional()
    .describe(`What the key may do (${API_KEY_SCOPES.join(', ')}); omitted or empty = ${DEFAULT_API_KEY_SCOPES.join(', ')} only`),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('ISO date-time; omitted = never expires'),
});

export const ZIdParams = z.object({ id: ZId });
