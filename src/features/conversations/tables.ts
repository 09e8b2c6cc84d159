import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';
import { CONVERSATION_KINDS, CONVERSATION_STATUSES } from '../../shared/conversations.js';

/**
 * Every coaching moment is a conversation with a transcript (voice roleplay, interview, kiosk,
 * debrief…). Items are ordered by when each turn started, not when it was saved: a user's
 * transcript can complete after the reply it caused.
 */
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
