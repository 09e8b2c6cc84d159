import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { DEFAULT_TIME_ZONE, LOCALES, PLANS, ROLES, type ApiKeyScope } from '../shared/accounts.js';

/**
 * The core tables every feature builds on: organizations (tenants), users, and what better-auth
 * keeps for them (`session`, `account`, `verification` have the columns its drizzle adapter
 * expects, mapped by property name), plus organization API keys. Feature tables live with their
 * feature (`src/features/<feature>/tables.ts`) and reference these; drizzle.config.ts lists them all.
 */

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizations = pgTable('organization', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable(
  'user',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull().default('member'),
    plan: text('plan', { enum: PLANS }).notNull().default('FREE'),
    locale: text('locale', { enum: LOCALES }).notNull().default('fr'),
    /** IANA time zone the user reads times in (emails); from the browser at sign-up. */
    timeZone: text('time_zone').notNull().default(DEFAULT_TIME_ZONE),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('user_organization_idx').on(t.organizationId)],
);

export const sessions = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const accounts = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verifications = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Organization API keys: only a SHA-256 of the key is kept; the key is shown once. */
export const apiKeys = pgTable(
  'api_key',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    /** What the key may do (src/shared/accounts.ts API_KEY_SCOPES); keys made before scopes have `admin`. */
    scopes: text('scopes').array().$type<ApiKeyScope[]>().notNull(),
    createdByUserId: text('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_key_hash_idx').on(t.hash), index('api_key_org_idx').on(t.organizationId).where(sql`revoked_at is null`)],
);

/**
 * Refresh tokens of API clients (POST /api/auth/token), one family per better-auth session. Each
 * refresh spends its token and issues the next; presenting a spent one again revokes the family
 * (the session, hence its access tokens and its other refresh tokens). Only SHA-256 is stored.
 */
export const refreshTokens = pgTable(
  'refresh_token',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** When it was exchanged for the next one; a second use is a replay. */
    usedAt: ts('used_at'),
  },
  (t) => [uniqueIndex('refresh_token_hash_idx').on(t.hash), index('refresh_token_session_idx').on(t.sessionId)],
);
