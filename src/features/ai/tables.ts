import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';

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
