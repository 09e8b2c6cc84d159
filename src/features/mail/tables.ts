import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { organizations, ts } from '../../db/core-tables.js';

export const MAIL_STATUSES = ['sending', 'sent', 'stored', 'failed'] as const;

/**
 * Every email, sent or not: the outbox admins read when no SMTP server is configured
 * ('stored'), and the at-most-once guard when one is (`dedupe_key` is unique; a message is
 * recorded before it is handed to SMTP, so a retry never sends it again).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    dedupeKey: text('dedupe_key').notNull().unique(),
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: MAIL_STATUSES }).notNull(),
    transport: text('transport').notNull(),
    /**
     * Hand-overs to SMTP so far; a failed one is retried by the job that sends it. Each claim
     * raises it, so it also tells a worker whether the row is still its own (a fencing token).
     */
    attempts: integer('attempts').notNull().default(0),
    /** While 'sending': until when the worker that claimed it holds it; after that it is sent again. */
    leaseUntil: ts('lease_until'),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [index('mail_outbox_org_idx').on(t.organizationId, t.createdAt)],
);
