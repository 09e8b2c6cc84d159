import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, ts, users } from '../../db/core-tables.js';
import { RESERVATION_STATUSES } from '../../shared/api/bookings.js';

/** A coach's offer: what a player books (title, length, price, language). */
export const announcements = pgTable(
  'coach_announcement',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    coachId: text('coach_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    durationMs: integer('duration_ms').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('EUR'),
    language: text('language').notNull(),
    /** Optional Discord invite shown beside the join button. */
    discordUrl: text('discord_url'),
    active: integer('active').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('coach_announcement_org_idx').on(t.organizationId, t.coachId)],
);

/** Weekly availability of a coach: a window on one weekday, in the coach's IANA time zone. */
export const availabilities = pgTable(
  'coach_availability',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    coachId: text('coach_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** 0 = Sunday … 6 = Saturday, in `timeZone`. */
    weekday: integer('weekday').notNull(),
    startMinute: integer('start_minute').notNull(),
    endMinute: integer('end_minute').notNull(),
    timeZone: text('time_zone').notNull(),
  },
  (t) => [
    index('coach_availability_coach_idx').on(t.coachId),
    check('coach_availability_window', sql`${t.startMinute} >= 0 and ${t.endMinute} <= 1440 and ${t.startMinute} < ${t.endMinute} and ${t.weekday} between 0 and 6`),
  ],
);

/** A bought pack of N sessions; each session is its own reservation. */
export const sessionPacks = pgTable('session_pack', {
  id: text('id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  announcementId: text('announcement_id').notNull().references(() => announcements.id, { onDelete: 'cascade' }),
  playerId: text('player_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  size: integer('size').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});


/** A booked session between a coach and a player, with its private video room. Times in UTC. */
export const reservations = pgTable(
  'reservation',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    announcementId: text('announcement_id').notNull().references(() => announcements.id, { onDelete: 'restrict' }),
    coachId: text('coach_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    playerId: text('player_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    packId: text('pack_id').references(() => sessionPacks.id, { onDelete: 'set null' }),
    startAt: ts('start_at').notNull(),
    endAt: ts('end_at').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('booked'),
    /** Room of the video provider (created after booking, or lazily at the first join). */
    roomProvider: text('room_provider'),
    roomName: text('room_name').notNull(),
    roomUrl: text('room_url'),
    roomExpiresAt: ts('room_expires_at').notNull(),
    /**
     * Raised by every cancellation and move: a room token carries the version it was minted
     * at, and the signaling hub refuses one that is behind (docs/coaching-sessions.md).
     */
    roomTokenVersion: integer('room_token_version').notNull().default(0),
    /** The coach's Discord link for this session; null = the offer's link. */
    discordUrl: text('discord_url'),
    cancelledAt: ts('cancelled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('reservation_coach_time_idx').on(t.coachId, t.startAt),
    index('reservation_player_time_idx').on(t.playerId, t.startAt),
    index('reservation_org_time_idx').on(t.organizationId, t.startAt),
    check('reservation_times', sql`${t.startAt} < ${t.endAt}`),
  ],
);

/** A session's recording: from Daily's webhook (cloud) or uploaded by the coach's browser (built-in). */
export const recordings = pgTable(
  'recording',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    reservationId: text('reservation_id').notNull().references(() => reservations.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['daily', 'builtin'] }).notNull(),
    /** Daily's recording id, or our upload id: unique per source (webhooks are idempotent). */
    externalId: text('external_id').notNull(),
    storageKey: text('storage_key'),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes'),
    durationMs: integer('duration_ms'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('recording_source_external_idx').on(t.source, t.externalId), index('recording_reservation_idx').on(t.reservationId)],
);
