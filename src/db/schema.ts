import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { chatTables } from '../features/chat/tables.js';

/**
 * One table list for both PGlite and PostgreSQL. The `user`, `session`, `account` and
 * `verification` tables have the columns better-auth expects (its drizzle adapter maps by
 * property name); tenancy columns (organizationId, role) are ours.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ROLES = ['admin', 'coach', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const PLANS = ['FREE', 'BASIC', 'PREMIUM'] as const;
export type Plan = (typeof PLANS)[number];
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
/** When nothing better is known (accounts created by an admin or the CLI, or before sign-up sent one). */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

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
    createdByUserId: text('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_key_hash_idx').on(t.hash), index('api_key_org_idx').on(t.organizationId).where(sql`revoked_at is null`)],
);


/** One row per LLM call (providers/llm metering): for analytics and billing. */
export const llmUsage = pgTable(
  'llm_usage',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    feature: text('feature').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    organizationId: text('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    outcome: text('outcome', { enum: ['ok', 'error', 'aborted'] }).notNull(),
    errorCode: text('error_code'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('llm_usage_org_created_idx').on(t.organizationId, t.createdAt), index('llm_usage_user_idx').on(t.userId)],
);

/**
 * Every coaching moment is a conversation with a transcript (voice roleplay, interview, kiosk,
 * debrief…). Items are ordered by when each turn started, not when it was saved: a user's
 * transcript can complete after the reply it caused.
 */
export const CONVERSATION_KINDS = ['roleplay', 'debrief', 'interview', 'kiosk', 'coach'] as const;
export const CONVERSATION_STATUSES = ['active', 'completed', 'interrupted'] as const;

export const conversations = pgTable(
  'conversation',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CONVERSATION_KINDS }).notNull(),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull().default('active'),
    title: text('title').notNull(),
    /** Which engine carried it (local | openai) and the model, for the record. */
    provider: text('provider'),
    model: text('model'),
    startedAt: ts('started_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
  },
  (t) => [index('conversation_owner_idx').on(t.organizationId, t.userId, t.startedAt)],
);

export const conversationItems = pgTable(
  'conversation_item',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The protocol's item id (e.g. OpenAI's item_…); saving the same id twice is a no-op. */
    itemId: text('item_id').notNull(),
    role: text('role', { enum: ['user', 'assistant', 'system', 'tool'] }).notNull(),
    type: text('type', { enum: ['message', 'function_call', 'function_call_output'] }).notNull().default('message'),
    text: text('text').notNull(),
    /** Start and end of the turn in ms from the conversation's start. */
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    /** incomplete: cut by a barge-in or a closed connection (text holds what was said). */
    status: text('status', { enum: ['completed', 'incomplete'] }).notNull().default('completed'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.itemId] }), index('conversation_item_order_idx').on(t.conversationId, t.startMs)],
);


// Chat coach (issue 5).
export * from '../features/chat/tables.js';


// Coaching sessions (issue 6).
// Feature tables live with their feature and are re-exported here (import them from this file:
// the feature file imports `users`/`organizations` from here, so it must not be the entry).
export { announcements, availabilities, recordings, reservations, sessionPacks, RESERVATION_STATUSES } from '../features/bookings/tables.js';
import { announcements, availabilities, recordings, reservations, sessionPacks } from '../features/bookings/tables.js';
export { jobs, JOB_STATUSES } from '../features/jobs/tables.js';
import { jobs } from '../features/jobs/tables.js';
export { mailOutbox, MAIL_STATUSES } from '../providers/mail/tables.js';
import { mailOutbox } from '../providers/mail/tables.js';


export const schema = {
  organizations, users, sessions, accounts, verifications, apiKeys, llmUsage, conversations, conversationItems, ...chatTables,
  announcements, availabilities, sessionPacks, reservations, recordings, jobs, mailOutbox,
};
