import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';
import { PLANS } from '../../shared/accounts.js';
import { VOICE_END_REASONS } from '../../shared/api/voice.js';
import { CONVERSATION_KINDS } from '../../shared/conversations.js';

/**
 * Voice minutes (docs/voice.md#voice-minutes): one row per realtime session of the self-hosted
 * engine, written when it starts (holding `granted_seconds` of the member's monthly allowance,
 * renewed a lease at a time) and completed when it ends (`seconds` actually used, never more
 * than granted). A month's use is the sum of its ended rows' `seconds` plus its running rows'
 * `granted_seconds`.
 */
export const voiceUsage = pgTable(
  'voice_usage',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The realtime session id (also its conversation's id). */
    sessionId: text('session_id').notNull(),
    kind: text('kind', { enum: CONVERSATION_KINDS }).notNull(),
    /** Calendar month in UTC of the session's start, e.g. "2026-11". */
    period: text('period').notNull(),
    /** The member's plan when the session started. */
    plan: text('plan', { enum: PLANS }).notNull(),
    /** Seconds of allowance the session holds (leases granted so far); null on an unlimited plan. */
    grantedSeconds: integer('granted_seconds'),
    /** Seconds used, written at the end (null while running). */
    seconds: integer('seconds'),
    endReason: text('end_reason', { enum: VOICE_END_REASONS }),
    startedAt: ts('started_at').notNull().default(sql`clock_timestamp()`),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('voice_usage_session_idx').on(t.sessionId),
    index('voice_usage_user_period_idx').on(t.userId, t.period, t.startedAt),
  ],
);

export const voiceTables = { voiceUsage };
