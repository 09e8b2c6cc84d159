import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';
import { PLANS } from '../../shared/accounts.js';
import { CHAT_MESSAGE_STATUSES, CHAT_ROLES, CREDIT_ENTRY_KINDS } from '../../shared/api/chat.js';

/**
 * Chat coach tables. Conventions: text ids
 * (UUIDs), `organization_id` on every tenant row (scoping), timestamps with time zone.
 */

export const chatSessions = pgTable(
  'chat_session',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** Denormalised so listings never scan messages: the last message's text and the count. */
    lastMessage: text('last_message'),
    messageCount: integer('message_count').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  // Listing and history: newest first with a keyset cursor on (updated_at, id); PostgreSQL reads
  // this ascending index backwards for ORDER BY updated_at DESC, id DESC.
  (t) => [index('chat_session_user_updated_idx').on(t.userId, t.updatedAt, t.id)],
);

export const chatMessages = pgTable(
  'chat_message',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => chatSessions.id, { onDelete: 'cascade' }),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: CHAT_ROLES }).notNull(),
    content: text('content').notNull(),
    status: text('status', { enum: CHAT_MESSAGE_STATUSES }).notNull().default('complete'),
    /** Insertion order inside a session (two messages can share a timestamp). */
    seq: integer('seq').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('chat_message_session_seq_idx').on(t.sessionId, t.seq)],
);

/**
 * Append-only credit ledger (ADR 0005): the balance of a period is the sum of its entries.
 * Rows are never updated or deleted by the application.
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Calendar month in UTC, e.g. "2026-11". */
    period: text('period').notNull(),
    kind: text('kind', { enum: CREDIT_ENTRY_KINDS }).notNull(),
    /** Signed: grants and refunds are positive, spends negative. */
    amount: integer('amount').notNull(),
    /** The user's plan when the entry was written. */
    plan: text('plan', { enum: PLANS }).notNull(),
    reason: text('reason'),
    /** The assistant message a spend paid for. */
    messageId: text('message_id'),
    /** The admin who made an adjustment (null for the system or an API key). */
    actorUserId: text('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    // clock_timestamp(), not now(): entries written in one transaction keep their order.
    createdAt: ts('created_at').notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    index('credit_ledger_user_period_idx').on(t.userId, t.period, t.createdAt),
    // At most one monthly grant per user and period, whatever the concurrency.
    uniqueIndex('credit_ledger_grant_once_idx').on(t.userId, t.period).where(sql`kind = 'grant'`),
  ],
);

/**
 * One row per user: the lock target for credit operations (SELECT … FOR UPDATE) and a cache of
 * the current period's ledger sum. `plan` is the plan the balance was last computed for, so a
 * plan change is noticed (and written to the ledger) at the next credit operation.
 */
export const creditAccounts = pgTable(
  'credit_account',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    plan: text('plan', { enum: PLANS }).notNull(),
    balance: integer('balance').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
);

/**
 * A credit held by a send in flight (taken before the AI call, removed when the reply is
 * charged or the call fails). Expired holds (a crashed process) stop counting by themselves.
 */
export const creditReservations = pgTable(
  'credit_reservation',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('credit_reservation_user_idx').on(t.userId, t.expiresAt)],
);

/** Per-organization chat settings: the coach's system prompt (null = the built-in coach). */
export const chatSettings = pgTable('chat_settings', {
  organizationId: text('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  coachPrompt: text('coach_prompt'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const chatTables = { chatSessions, chatMessages, creditLedger, creditAccounts, creditReservations, chatSettings };
