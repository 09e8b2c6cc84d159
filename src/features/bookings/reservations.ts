import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { announcements, reservations, sessionPacks } from './tables.js';
import { users } from '../../db/core-tables.js';
import { requireHuman, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertParticipant, inOrganization, visibleToParticipants } from '../../platform/scope.js';
import type { Announcements } from './announcements.js';
import { fitsAvailability } from './availability.js';
import type { ZReservation } from '../../shared/api/bookings.js';

type ReservationRow = typeof reservations.$inferSelect;
export type ReservationView = z.infer<typeof ZReservation>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface BookingRules {
  /** Joining opens this long before the start. */
  joinEarlyMs: number;
  /** The room stays open this long after the end, then ejects everyone. */
  roomGraceMs: number;
}

/** Told about bookings after they are committed (rooms, confirmation mail, reminders). */
export interface BookingListener {
  booked(reservation: ReservationRow): Promise<void>;
  cancelled(reservation: ReservationRow): Promise<void>;
  /** `previous`: the row before the move (its old room, its old time). */
  rescheduled(reservation: ReservationRow, previous: ReservationRow): Promise<void>;
}

/** Whether a room token minted for a reservation (at `version`) still admits its holder. */
export type RoomAdmission = 'ok' | 'cancelled' | 'moved' | 'unknown';

/** A reservation has two owners: its coach and its player (platform/scope.ts). */
const PARTIES = { organizationId: reservations.organizationId, participants: [reservations.coachId, reservations.playerId] };
const partiesOf = (r: ReservationRow) => [r.coachId, r.playerId];

interface Slot {
  startMs: number;
  endMs: number;
}

const roomNameOf = (id: string, startMs: number) => `ch-${id.replaceAll('-', '').slice(0, 20)}-${Math.floor(startMs / 1000).toString(36)}`;

/**
 * Reservations between a coach and a player. Overlap checks run in a transaction that first
 * locks both users' rows (`FOR UPDATE`, in id order to avoid deadlocks), so two concurrent
 * bookings touching the same coach or player are serialised and exactly one wins.
 */
export function createReservations(db: Db, deps: { announcements: Announcements; rules: BookingRules; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const { rules } = deps;
  const listeners: BookingListener[] = [];
  const tell = async (event: 'booked' | 'cancelled', row: ReservationRow) => {
    for (const l of listeners) await l[event](row);
  };

  /** The reservation `id` of the actor's organization (not yet checked against the actor). */
  async function inOrg(actor: Actor, id: string): Promise<ReservationRow | undefined> {
    const [row] = await db.select().from(reservations).where(inOrganization(actor, reservations.organizationId, eq(reservations.id, id)));
    return row;
  }

  async function views(actor: Actor, rows: ReservationRow[]): Promise<ReservationView[]> {
    if (!rows.length) return [];
    const userIds = [...new Set(rows.flatMap((r) => [r.coachId, r.playerId]))];
    const annIds = [...new Set(rows.map((r) => r.announcementId))];
    const [people, anns] = await Promise.all([
      db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)),
      db.select({ id: announcements.id, title: announcements.title, discordUrl: announcements.discordUrl }).from(announcements).where(inArray(announcements.id, annIds)),
    ]);
    const name = new Map(people.map((p) => [p.id, p.name]));
    const ann = new Map(anns.map((a) => [a.id, a]));
    return rows.map((r) => ({
      id: r.id,
      announcementId: r.announcementId,
      title: ann.get(r.announcementId)?.title ?? '',
      coachId: r.coachId,
      coachName: name.get(r.coachId) ?? '',
      playerId: r.playerId,
      playerName: name.get(r.playerId) ?? '',
      packId: r.packId,
      startDate: r.startAt.toISOString(),
      endDate: r.endAt.toISOString(),
      status: r.status,
      joinOpensAt: new Date(r.startAt.getTime() - rules.joinEarlyMs).toISOString(),
      roomExpiresAt: r.roomExpiresAt.toISOString(),
      discordUrl: r.discordUrl ?? ann.get(r.announcementId)?.discordUrl ?? null,
      sessionDiscordUrl: r.discordUrl,
      myRole: r.coachId === actor.userId ? 'coach' : r.playerId === actor.userId ? 'player' : null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** The announcement being booked, checked against the requested coach (400/404). */
  async function bookable(actor: Actor, announcementId: string, coachId: string) {
    const [ann] = await db
      .select()
      .from(announcements)
      .where(inOrganization(actor, announcements.organizationId, eq(announcements.id, announcementId)));
    if (!ann || ann.active !== 1) throw new AppError('NOT_FOUND', 'Announcement not found.');
    if (ann.coachId !== coachId) throw new AppError('VALIDATION_FAILED', 'Invalid coachId: the announcement belongs to another coach.', { field: 'coachId' });
    return ann;
  }

  /** Rules every slot obeys: in the future, the offer's length, inside the coach's availability. */
  async function checkSlots(coachId: string, durationMs: number, slots: Slot[]): Promise<void> {
    const windows = await deps.announcements.windowsOf(coachId);
    for (const [i, s] of slots.entries()) {
      const field = slots.length > 1 ? `slots.${i}.startDate` : 'startDate';
      if (!(s.startMs < s.endMs)) throw new AppError('VALIDATION_FAILED', 'Invalid endDate: must be after startDate.', { field: field.replace('startDate', 'endDate') });
      if (s.startMs <= now()) throw new AppError('VALIDATION_FAILED', `Invalid ${field}: must be in the future.`, { field });
      if (s.endMs - s.startMs !== durationMs) {
        throw new AppError('VALIDATION_FAILED', `Invalid endDate: this offer lasts ${durationMs / 60_000} minutes.`, { field: field.replace('startDate', 'endDate') });
      }
      if (!fitsAvailability(windows, s.startMs, s.endMs)) throw new AppError('VALIDATION_FAILED', `Invalid ${field}: outside the coach's availability.`, { field });
    }
    const sorted = [...slots].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.startMs < sorted[i - 1]!.endMs) throw new AppError('VALIDATION_FAILED', 'Invalid slots: two sessions of the pack overlap.', { field: 'slots' });
    }
  }

  /** Locks both people, then refuses any slot overlapping one of their booked sessions. */
  async function lockAndCheckOverlaps(tx: Tx, coachId: string, playerId: string, slots: Slot[], excludeId?: string): Promise<void> {
    const people = [coachId, playerId].sort();
    await tx.select({ id: users.id }).from(users).where(inArray(users.id, people)).orderBy(asc(users.id)).for('update');
    for (const s of slots) {
      const [clash] = await tx
        .select({ id: reservations.id, coachId: reservations.coachId, playerId: reservations.playerId })
        .from(reservations)
        .where(
          and(
            eq(reservations.status, 'booked'),
            or(inArray(reservations.coachId, people), inArray(reservations.playerId, people)),
            lt(reservations.startAt, new Date(s.endMs)),
            gt(reservations.endAt, new Date(s.startMs)),
            excludeId ? ne(reservations.id, excludeId) : undefined,
          ),
        )
        .limit(1);
      if (clash) {
        const who = clash.coachId === coachId || clash.playerId === coachId ? 'The coach' : 'You';
        throw new AppError('CONFLICT', `${who} already ${who === 'You' ? 'have' : 'has'} a session at that time.`, { startDate: new Date(s.startMs).toISOString() });
      }
    }
  }

  async function insertMany(actor: Actor & { userId: string }, ann: typeof announcements.$inferSelect, slots: Slot[], packSize: number | null) {
    const rows = await db.transaction(async (tx) => {
      await lockAndCheckOverlaps(tx, ann.coachId, actor.userId, slots);
      let packId: string | null = null;
      if (packSize !== null) {
        packId = randomUUID();
        await tx.insert(sessionPacks).values({ id: packId, organizationId: actor.organizationId, announcementId: ann.id, playerId: actor.userId, size: packSize });
      }
      return tx
        .insert(reservations)
        .values(
          slots.map((s) => {
            const id = randomUUID();
            return {
              id,
              organizationId: actor.organizationId,
              announcementId: ann.id,
              coachId: ann.coachId,
              playerId: actor.userId,
              packId,
              startAt: new Date(s.startMs),
              endAt: new Date(s.endMs),
              roomName: roomNameOf(id, s.startMs),
              roomExpiresAt: new Date(s.endMs + rules.roomGraceMs),
            };
          }),
        )
        .returning();
    });
    for (const row of rows) await tell('booked', row);
    return rows;
  }

  /** For reads and changes: its coach, its player, or the organization's admins and API keys. */
  async function participantRow(actor: Actor, id: string): Promise<ReservationRow> {
    return assertParticipant(actor, await inOrg(actor, id), partiesOf, 'Reservation');
  }

  function assertChangeable(row: ReservationRow): void {
    if (row.status === 'cancelled') throw new AppError('CONFLICT', 'This reservation is cancelled.');
    if (row.startAt.getTime() <= now()) throw new AppError('CONFLICT', 'A session cannot be changed once it has started.');
  }

  const toSlot = (s: { startDate: string; endDate: string }): Slot => ({ startMs: Date.parse(s.startDate), endMs: Date.parse(s.endDate) });

  return {
    /** Registers a listener told after each committed booking, cancellation or move (wired in app.ts). */
    listen(listener: BookingListener): void {
      listeners.push(listener);
    },

    /** A player books one slot of a coach's offer. */
    async book(actor: Actor, input: { announcementId: string; coachId: string; startDate: string; endDate: string }): Promise<ReservationView> {
      requireHuman(actor);
      const ann = await bookable(actor, input.announcementId, input.coachId);
      if (ann.coachId === actor.userId) throw new AppError('VALIDATION_FAILED', 'Invalid coachId: you cannot book yourself.', { field: 'coachId' });
      const slot = toSlot(input);
      await checkSlots(ann.coachId, ann.durationMs, [slot]);
      const [row] = await insertMany(actor, ann, [slot], null);
      return (await views(actor, [row!]))[0]!;
    },

    /** A pack of N sessions: N reservations (each with its own room), all or nothing. */
    async buyPack(actor: Actor, input: { announcementId: string; coachId: string; slots: { startDate: string; endDate: string }[] }) {
      requireHuman(actor);
      const ann = await bookable(actor, input.announcementId, input.coachId);
      if (ann.coachId === actor.userId) throw new AppError('VALIDATION_FAILED', 'Invalid coachId: you cannot book yourself.', { field: 'coachId' });
      const slots = input.slots.map(toSlot);
      await checkSlots(ann.coachId, ann.durationMs, slots);
      const rows = await insertMany(actor, ann, slots, slots.length);
      return { packId: rows[0]!.packId!, reservations: await views(actor, rows) };
    },

    async list(actor: Actor, when: 'upcoming' | 'past' | 'all' = 'all'): Promise<ReservationView[]> {
      const t = new Date(now());
      const cond = when === 'upcoming' ? gt(reservations.roomExpiresAt, t) : when === 'past' ? lt(reservations.roomExpiresAt, t) : undefined;
      const rows = await db
        .select()
        .from(reservations)
        .where(visibleToParticipants(actor, PARTIES, cond))
        .orderBy(when === 'past' ? desc(reservations.startAt) : asc(reservations.startAt))
        .limit(200);
      return views(actor, rows);
    },

    async get(actor: Actor, id: string): Promise<ReservationView> {
      return (await views(actor, [await participantRow(actor, id)]))[0]!;
    },

    /** The row itself, for the coach or player only (video access is personal, even for admins). */
    async forParticipant(actor: Actor, id: string): Promise<{ row: ReservationRow; role: 'coach' | 'player' }> {
      requireHuman(actor);
      const row = assertParticipant(actor, await inOrg(actor, id), partiesOf, 'Reservation', {
        wholeOrganization: false,
        forbidden: 'Only the coach and the player of this session may join it.',
      });
      return { row, role: row.coachId === actor.userId ? 'coach' : 'player' };
    },

    async cancel(actor: Actor, id: string): Promise<ReservationView> {
      const existing = await participantRow(actor, id);
      assertChangeable(existing);
      const [row] = await db
        .update(reservations)
        // A new token version: room tokens minted before no longer admit anyone (checked at join).
        .set({ status: 'cancelled', cancelledAt: new Date(now()), updatedAt: new Date(now()), roomTokenVersion: sql`${reservations.roomTokenVersion} + 1` })
        .where(and(eq(reservations.id, id), eq(reservations.status, 'booked')))
        .returning();
      if (!row) throw new AppError('CONFLICT', 'This reservation is cancelled.');
      await tell('cancelled', row);
      return (await views(actor, [row]))[0]!;
    },

    /** Moves a session (same rules as booking); it gets a new room, valid for the new time. */
    async reschedule(actor: Actor, id: string, input: { startDate: string; endDate: string }): Promise<ReservationView> {
      const existing = await participantRow(actor, id);
      assertChangeable(existing);
      const [ann] = await db.select().from(announcements).where(eq(announcements.id, existing.announcementId));
      const slot = toSlot(input);
      await checkSlots(existing.coachId, ann!.durationMs, [slot]);
      const { row, previous } = await db.transaction(async (tx) => {
        await lockAndCheckOverlaps(tx, existing.coachId, existing.playerId, [slot], existing.id);
        // Read again under the lock: a concurrent move of this session has committed by now.
        const [before] = await tx.select().from(reservations).where(eq(reservations.id, id));
        const [updated] = await tx
          .update(reservations)
          .set({
            startAt: new Date(slot.startMs),
            endAt: new Date(slot.endMs),
            roomName: roomNameOf(existing.id, slot.startMs),
            roomProvider: null,
            roomUrl: null,
            roomExpiresAt: new Date(slot.endMs + rules.roomGraceMs),
            roomTokenVersion: sql`${reservations.roomTokenVersion} + 1`,
            updatedAt: new Date(now()),
          })
          .where(and(eq(reservations.id, id), eq(reservations.status, 'booked')))
          .returning();
        if (!updated || !before) throw new AppError('CONFLICT', 'This reservation is cancelled.');
        return { row: updated, previous: before };
      });
      for (const l of listeners) await l.rescheduled(row, previous);
      return (await views(actor, [row]))[0]!;
    },

    /** The session's own Discord link (null: the offer's). Only the session's coach sets it — not the player, nor an admin. */
    async setDiscordUrl(actor: Actor, id: string, discordUrl: string | null): Promise<ReservationView> {
      const existing = assertParticipant(actor, await inOrg(actor, id), (r) => [r.coachId], 'Reservation', {
        wholeOrganization: false,
        forbidden: 'Only the coach of this session may set its Discord link.',
      });
      if (existing.status === 'cancelled') throw new AppError('CONFLICT', 'This reservation is cancelled.');
      if (existing.roomExpiresAt.getTime() <= now()) throw new AppError('CONFLICT', 'This session has ended.');
      const [row] = await db.update(reservations).set({ discordUrl, updatedAt: new Date(now()) }).where(eq(reservations.id, id)).returning();
      return (await views(actor, [row!]))[0]!;
    },

    /**
     * Whether a room token minted for this reservation at `version` still admits its holder
     * (the signaling hub asks at each join): a cancellation or a move raises the version.
     */
    async roomAdmission(reservationId: string, version: number): Promise<RoomAdmission> {
      const [row] = await db
        .select({ status: reservations.status, version: reservations.roomTokenVersion })
        .from(reservations)
        .where(eq(reservations.id, reservationId));
      if (!row) return 'unknown';
      if (row.status === 'cancelled') return 'cancelled';
      return row.version === version ? 'ok' : 'moved';
    },

    async userName(userId: string): Promise<string> {
      const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
      return u?.name ?? '';
    },

    /** Records where the provider created the room. */
    async saveRoom(id: string, roomName: string, room: { provider: string; url: string }): Promise<void> {
      await db.update(reservations).set({ roomProvider: room.provider, roomUrl: room.url }).where(and(eq(reservations.id, id), eq(reservations.roomName, roomName)));
    },
  };
}

export type Reservations = ReturnType<typeof createReservations>;
