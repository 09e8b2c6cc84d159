import type { Logger } from 'pino';
import type { z } from 'zod';
import type { reservations } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { IceServer } from '../../config/video-config.js';
import { sessionRoomSpec, type VideoProvider, type VideoRoom } from '../../providers/video/types.js';
import type { BookingListener, Reservations } from './reservations.js';
import type { ZVideoToken } from '../../shared/api/bookings.js';

type ReservationRow = typeof reservations.$inferSelect;
export type VideoTokenView = z.infer<typeof ZVideoToken>;

export { SIGNALING_PATH } from '../video/signaling/signaling-routes.js';
import { SIGNALING_PATH } from '../video/signaling/signaling-routes.js';

/**
 * Joining a session: the room is created at booking (or lazily here if that failed), and a
 * fresh short-lived token is minted for each join — only for the coach (room owner) and the
 * player (participant), from 15 minutes before the start until the room expires.
 * Errors: 404 unknown, 403 not a participant, 409 CONFLICT cancelled / too early / ended.
 */
export function createVideoAccess(deps: {
  reservations: Reservations;
  provider: VideoProvider;
  iceServers: IceServer[];
  joinEarlyMs: number;
  tokenTtlMs: number;
  logger: Logger;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const { provider } = deps;

  async function ensureRoom(row: ReservationRow): Promise<VideoRoom> {
    if (row.roomProvider === provider.name && row.roomUrl) {
      return { provider: provider.name, name: row.roomName, url: row.roomUrl, expiresAtMs: row.roomExpiresAt.getTime() };
    }
    const room = await provider.createRoom(sessionRoomSpec(row.roomName, row.roomExpiresAt.getTime()));
    await deps.reservations.saveRoom(row.id, row.roomName, room);
    return room;
  }

  const createRoomQuietly = async (row: ReservationRow) => {
    if (row.status !== 'booked' || row.roomExpiresAt.getTime() <= now()) return;
    // Best effort: a failure here is retried at the first join.
    await ensureRoom(row).catch((err: unknown) => deps.logger.warn({ err, reservationId: row.id }, 'video room creation failed; will retry at join'));
  };

  const listener: BookingListener = { booked: createRoomQuietly, rescheduled: createRoomQuietly, cancelled: async () => undefined };

  return {
    listener,

    async token(actor: Actor, reservationId: string): Promise<VideoTokenView> {
      const { row, role } = await deps.reservations.forParticipant(actor, reservationId);
      const t = now();
      if (row.status === 'cancelled') throw new AppError('CONFLICT', 'This session was cancelled.', { reason: 'cancelled' });
      const opensAtMs = row.startAt.getTime() - deps.joinEarlyMs;
      if (t < opensAtMs) {
        throw new AppError('CONFLICT', `The room opens ${Math.round(deps.joinEarlyMs / 60_000)} minutes before the session.`, { reason: 'too_early', opensAt: new Date(opensAtMs).toISOString() });
      }
      if (t >= row.roomExpiresAt.getTime()) throw new AppError('CONFLICT', 'This session has ended; its room is closed.', { reason: 'ended' });
      const room = await ensureRoom(row);
      const expiresAtMs = Math.min(t + deps.tokenTtlMs, room.expiresAtMs);
      const me = await deps.reservations.userName(actor.userId!);
      const token = await provider.mintToken({
        room,
        reservation: { id: row.id, tokenVersion: row.roomTokenVersion },
        userId: actor.userId!,
        // The name the other peer sees: the account's, never one the client chooses.
        userName: me,
        role: role === 'coach' ? 'owner' : 'participant',
        expiresAtMs,
      });
      return {
        token,
        roomUrl: room.url,
        roomName: room.name,
        userRole: role,
        provider: provider.name,
        expiresAt: new Date(expiresAtMs).toISOString(),
        roomExpiresAt: new Date(room.expiresAtMs).toISOString(),
        startDate: row.startAt.toISOString(),
        endDate: row.endAt.toISOString(),
        iceServers: provider.name === 'builtin' ? deps.iceServers : [],
        signalingPath: provider.name === 'builtin' ? SIGNALING_PATH : null,
      };
    },
  };
}

export type VideoAccess = ReturnType<typeof createVideoAccess>;

/** What ejects the people connected to a room (the built-in rooms' signaling hub). */
export interface RoomEjector {
  eject(room: string, reason: 'cancelled' | 'rescheduled'): Promise<void>;
}

/**
 * Ejects whoever is connected when a session is cancelled (its room) or moved (its old room),
 * on every instance. Their tokens are refused from then on: the change raised the reservation's
 * token version (`Reservations.roomAdmission`). A failed ejection is logged, never fails the
 * cancellation: the tokens are refused anyway at the next join.
 */
export function roomEjections(hub: RoomEjector, logger: Logger): BookingListener {
  const eject = async (row: ReservationRow, reason: 'cancelled' | 'rescheduled') => {
    await hub.eject(row.roomName, reason).catch((err: unknown) => logger.warn({ err, reservationId: row.id }, 'ejecting a changed session failed'));
  };
  return {
    booked: async () => undefined,
    cancelled: (row) => eject(row, 'cancelled'),
    rescheduled: (_row, previous) => eject(previous, 'rescheduled'),
  };
}
