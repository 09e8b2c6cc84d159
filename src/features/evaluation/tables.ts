import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';
import {
  EVALUATION_KINDS,
  EVALUATION_LANGUAGES,
  EVALUATION_METHODS,
  EVALUATION_STATUSES,
  type DeliveryMetrics,
  type Rubric,
  type Scorecard,
} from '../../shared/api/evaluation.js';
import { conversations } from '../conversations/tables.js';

/**
 * One evaluation per conversation (unique): the rubric it is judged against, the state of the
 * background run, and its results. `run` counts re-runs; a run's job key carries it, and only the
 * current run may write results.
 */
export const evaluations = pgTable(
  'evaluation',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .unique()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: EVALUATION_KINDS }).notNull(),
    status: text('status', { enum: EVALUATION_STATUSES }).notNull().default('pending'),
    language: text('language', { enum: EVALUATION_LANGUAGES }).notNull(),
    rubric: jsonb('rubric').notNull().$type<Rubric>(),
    run: integer('run').notNull().default(1),
    score: integer('score'),
    scorecard: jsonb('scorecard').$type<Scorecard>(),
    metrics: jsonb('metrics').$type<DeliveryMetrics>(),
    method: text('method', { enum: EVALUATION_METHODS }),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
  },
  // Listings: the actor's (or the organization's) evaluations, newest first.
  (t) => [index('evaluation_owner_idx').on(t.organizationId, t.userId, t.createdAt)],
);
