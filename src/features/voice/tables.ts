import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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

/**
 * Voice tables used when there is no Redis (with REDIS_URL the same records live in Redis).
 *
 * `voice_credential`: one row per local credential minted — the session spec the server chose,
 * until when it may start a session, and when it did (a credential starts one session).
 */
export const voiceCredentials = pgTable(
  'voice_credential',
  {
    /** The token's `jti`. */
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    spec: jsonb('spec').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('voice_credential_expires_idx').on(t.expiresAt)],
);

/**
 * `voice_session_slot`: the realtime sessions running on every instance, for the per-user and
 * per-organization limits. Each instance renews its rows' leases while the sessions run; a
 * crashed instance's rows stop counting when their lease runs out.
 */
export const voiceSessionSlots = pgTable(
  'voice_session_slot',
  {
    sessionId: text('session_id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    userId: text('user_id').notNull(),
    leaseUntil: ts('lease_until').notNull(),
  },
  (t) => [index('voice_session_slot_org_idx').on(t.organizationId, t.leaseUntil), index('voice_session_slot_user_idx').on(t.userId, t.leaseUntil)],
);

export const voiceTables = { voiceUsage, voiceCredentials, voiceSessionSlots };
