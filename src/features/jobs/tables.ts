import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from '../../db/core-tables.js';

export const JOB_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

/**
 * Durable jobs (reminders…): survive restarts; `key` is unique so a job is scheduled once,
 * and workers claim due jobs atomically (UPDATE … FOR UPDATE SKIP LOCKED) so one runs it.
 */
export const jobs = pgTable(
  'job',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull().unique(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    runAt: ts('run_at').notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('job_due_idx').on(t.status, t.runAt)],
);
