import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { organizations, ts } from '../../db/core-tables.js';

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
