import { z } from 'zod';
import { ZTimeZone } from '../time-zone.js';

export const RESERVATION_STATUSES = ['booked', 'cancelled'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const ZId = z.string().min(1).max(64);
export const ZIdParams = z.object({ id: ZId });
const ZInstant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant with an offset (stored in UTC)');

/** An invite to a Discord server or channel, shown beside the join button. */
export const ZDiscordUrl = z.url().refine((u) => /^https:\/\/(www\.)?(discord\.gg|discord\.com)\//.test(u), 'must be an https://discord.gg or https://discord.com link');

/** The fields of an offer, without defaults: an update must not turn an omitted field into its default. */
const announcementFields = {
  title: z.string().trim().min(1, 'is required').max(120),
  description: z.string().trim().max(4000),
  durationMs: z.number().int().min(15 * 60_000, 'must be at least 15 minutes').max(4 * 3_600_000, 'must be at most 4 hours').refine((v) => v % 60_000 === 0, 'must be whole minutes'),
  priceCents: z.number().int().min(0).max(10_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  language: z.enum(['fr', 'en']),
  discordUrl: ZDiscordUrl.nullable().optional(),
};
export const ZAnnouncementInput = z.object({
  ...announcementFields,
  description: announcementFields.description.default(''),
  currency: announcementFields.currency.default('EUR'),
});
// zod 4 applies defaults inside .partial(): built from the fields without defaults, `{}` changes nothing.
export const ZAnnouncementUpdate = z.object(announcementFields).partial().extend({ active: z.boolean().optional() });

export const ZAnnouncement = z.object({
  id: z.string(),
  coachId: z.string(),
  coachName: z.string(),
  title: z.string(),
  description: z.string(),
  durationMs: z.number(),
  priceCents: z.number(),
  currency: z.string(),
  language: z.string(),
  discordUrl: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const ZWindow = z
  .object({
    weekday: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
    timeZone: ZTimeZone,
  })
  .refine((w) => w.startMinute < w.endMinute, { message: 'must start before it ends', path: ['endMinute'] });
export const ZAvailability = z.object({ windows: z.array(ZWindow).max(100) });
export const ZSlot = z.object({ startDate: z.string(), endDate: z.string() });

export const ZReservationInput = z.object({ announcementId: ZId, coachId: ZId, startDate: ZInstant, endDate: ZInstant });
export const ZRescheduleInput = z.object({ startDate: ZInstant, endDate: ZInstant });
export const ZReservationUpdate = z.strictObject({
  discordUrl: ZDiscordUrl.nullable().describe("This session's Discord link; null falls back to the offer's"),
});
export const ZPackInput = z.object({
  announcementId: ZId,
  coachId: ZId,
  slots: z.array(z.object({ startDate: ZInstant, endDate: ZInstant })).min(2, 'a pack has at least 2 sessions').max(20),
});

export const ZReservation = z.object({
  id: z.string(),
  announcementId: z.string(),
  title: z.string(),
  coachId: z.string(),
  coachName: z.string(),
  playerId: z.string(),
  playerName: z.string(),
  packId: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  status: z.enum(RESERVATION_STATUSES),
  joinOpensAt: z.string(),
  roomExpiresAt: z.string(),
  discordUrl: z.string().nullable().describe("Shown beside the join button: the session's own link, else the offer's"),
  sessionDiscordUrl: z.string().nullable().describe('The link the coach set for this session (null: the offer’s applies)'),
  myRole: z.enum(['coach', 'player']).nullable().describe('null when an admin looks at another pair’s session'),
  createdAt: z.string(),
});

export const ZReservationList = z.object({ reservations: z.array(ZReservation) });
export const ZListQuery = z.object({ when: z.enum(['upcoming', 'past', 'all']).default('all') });

export const ZVideoToken = z.object({
  token: z.string(),
  roomUrl: z.string(),
  roomName: z.string(),
  userRole: z.enum(['coach', 'player']),
  provider: z.enum(['builtin', 'daily']),
  expiresAt: z.string().describe('The token may be used to join until then'),
  roomExpiresAt: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
  signalingPath: z.string().nullable(),
});
