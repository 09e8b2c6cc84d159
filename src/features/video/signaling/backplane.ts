import type { Peer, ServerMessage } from '../../../shared/video-signaling.js';

/** A participant connected somewhere (this process or another one sharing Redis). */
export interface Member extends Peer {
  connId: string;
}

/** What one signaling process tells the others about a room. */
export type RoomEvent =
  /** Deliver to the room's connections, except `exceptConn`, or only to `toUser`. */
  | { kind: 'deliver'; message: ServerMessage; exceptConn?: string; toUser?: string }
  /** Close a connection (a newer one of the same user took its place). */
  | { kind: 'kick'; connId: string }
  /** Eject everyone from the room: its session was cancelled or moved. */
  | { kind: 'eject'; reason: 'cancelled' | 'rescheduled' };

export type JoinResult = { ok: true; replaced: Member | null } | { ok: false };

/**
 * Shared room presence + fan-out between signaling processes. In-process by default; Redis
 * (hash per room + one pub/sub channel) when REDIS_URL is set, so the two peers of a room may
 * reach different server instances.
 */
export interface Backplane {
  readonly kind: 'memory' | 'redis';
  /** Adds (or replaces, for the same user) a member unless the room already holds `max` people. */
  join(room: string, member: Member, max: number, expiresAtMs: number): Promise<JoinResult>;
  /** Removes the member if that connection still holds its place; true when removed. */
  leave(room: string, userId: string, connId: string): Promise<boolean>;
  members(room: string): Promise<Member[]>;
  publish(room: string, event: RoomEvent): Promise<void>;
  onEvent(handler: (room: string, event: RoomEvent) => void): void;
  close(): Promise<void>;
}

export function createMemoryBackplane(): Backplane {
  const rooms = new Map<string, { members: Map<string, Member>; expiresAtMs: number }>();
  const handlers: ((room: string, event: RoomEvent) => void)[] = [];
  const sweep = () => {
    const now = Date.now();
    for (const [name, room] of rooms) if (room.expiresAtMs <= now || room.members.size === 0) rooms.delete(name);
  };
  return {
    kind: 'memory',
    async join(room, member, max, expiresAtMs) {
      if (rooms.size > 1000) sweep();
      let entry = rooms.get(room);
      if (!entry) rooms.set(room, (entry = { members: new Map(), expiresAtMs }));
      const previous = entry.members.get(member.userId) ?? null;
      if (!previous && entry.members.size >= max) return { ok: false };
      entry.members.set(member.userId, member);
      return { ok: true, replaced: previous };
    },
    async leave(room, userId, connId) {
      const entry = rooms.get(room);
      if (entry?.members.get(userId)?.connId !== connId) return false;
      entry.members.delete(userId);
      if (entry.members.size === 0) rooms.delete(room);
      return true;
    },
    async members(room) {
      return [...(rooms.get(room)?.members.values() ?? [])];
    },
    async publish(room, event) {
      for (const h of handlers) h(room, event);
    },
    onEvent(handler) {
      handlers.push(handler);
    },
    async close() {
      rooms.clear();
    },
  };
}
