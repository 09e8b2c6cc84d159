import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { RoomTokenError, verifyRoomToken, type RoomClaims } from '../../../providers/video/room-token.js';
import type { Backplane, Member, RoomEvent } from './backplane.js';
import { CLOSE, ZClientMessage, type Peer, type ServerMessage } from '../../../shared/video-signaling.js';

interface Connection {
  id: string;
  socket: WebSocket;
  claims: RoomClaims | null;
  ejectTimer: NodeJS.Timeout | null;
  alive: boolean;
}

/** Whether a verified token still admits its holder: 'ok', or why not (the session was cancelled or moved). */
export type Admission = 'ok' | 'cancelled' | 'moved' | 'unknown';

export interface SignalingOptions {
  key: Uint8Array;
  backplane: Backplane;
  /**
   * Asked at each join (after the token's signature and expiry): whether its reservation still
   * admits a token of that version. Wired in app.ts to the reservations; a signaling-only
   * process without it (the benchmark) admits every valid token.
   */
  admit?: (claims: RoomClaims) => Promise<Admission>;
  logger: Logger;
  /** Time allowed between opening the socket and sending `join`. */
  joinTimeoutMs?: number;
  heartbeatMs?: number;
  now?: () => number;
}

const peerOf = (m: Member | RoomClaims): Peer => ('connId' in m ? { userId: m.userId, name: m.name, role: m.role } : { userId: m.userId, name: m.userName, role: m.role });

/**
 * The built-in rooms' signaling: authenticates each socket with its room token, enforces the
 * room's size (through the backplane, so across instances), relays signals and chat to the
 * other peer, and ejects everyone at the room's expiry. Holds no database connection.
 */
export function createSignalingHub(options: SignalingOptions) {
  const { backplane, logger } = options;
  const now = options.now ?? Date.now;
  const local = new Map<string, Connection>();
  const byRoom = new Map<string, Set<string>>();

  const send = (c: Connection, message: ServerMessage) => {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(message));
  };
  const close = (c: Connection, code: number, reason: string) => {
    if (c.socket.readyState === c.socket.OPEN || c.socket.readyState === c.socket.CONNECTING) c.socket.close(code, reason);
  };

  /** Forgets a connection's place in its room on this instance (it keeps no claims). */
  const unregister = (c: Connection) => {
    const claims = c.claims;
    if (!claims) return;
    c.claims = null;
    const set = byRoom.get(claims.room);
    set?.delete(c.id);
    if (set?.size === 0) byRoom.delete(claims.room);
    return claims;
  };

  backplane.onEvent((room: string, event: RoomEvent) => {
    if (event.kind === 'eject') {
      for (const id of byRoom.get(room) ?? []) {
        const c = local.get(id);
        if (!c) continue;
        send(c, { type: 'ejected', reason: event.reason });
        close(c, CLOSE.REVOKED, `session ${event.reason}`);
      }
      return;
    }
    if (event.kind === 'kick') {
      const c = local.get(event.connId);
      if (c) {
        send(c, { type: 'ejected', reason: 'replaced' });
        close(c, CLOSE.REPLACED, 'replaced by a newer connection');
      }
      return;
    }
    for (const id of byRoom.get(room) ?? []) {
      const c = local.get(id);
      if (!c?.claims || id === event.exceptConn) continue;
      if (event.toUser && c.claims.userId !== event.toUser) continue;
      send(c, event.message);
    }
  });

  const heartbeat = setInterval(() => {
    for (const c of local.values()) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  async function join(c: Connection, token: string): Promise<void> {
    let claims: RoomClaims;
    try {
      claims = await verifyRoomToken(options.key, token, now());
    } catch (err) {
      const expired = err instanceof RoomTokenError && err.reason === 'expired';
      send(c, { type: 'error', code: expired ? 'TOKEN_EXPIRED' : 'BAD_TOKEN', message: expired ? 'The room token or the room has expired.' : 'Invalid room token.' });
      return close(c, expired ? CLOSE.EXPIRED : CLOSE.BAD_TOKEN, expired ? 'expired' : 'bad token');
    }
    // The name shown to the other peer is the token's (the user's account name, set by the
    // server); a name in the join frame is ignored.
    // Registered on this instance before the admission check, so an ejection published by a
    // cancellation that commits after the check reaches this connection too.
    c.claims = claims;
    let set = byRoom.get(claims.room);
    if (!set) byRoom.set(claims.room, (set = new Set()));
    set.add(c.id);
    const admission = options.admit ? await options.admit(claims) : 'ok';
    if (admission !== 'ok') {
      unregister(c);
      const why = admission === 'cancelled' ? 'This session was cancelled.' : admission === 'moved' ? 'This session was moved: ask for a new room token.' : 'This session no longer exists.';
      send(c, { type: 'error', code: 'TOKEN_REVOKED', message: why });
      return close(c, CLOSE.REVOKED, 'token revoked');
    }
    const member: Member = { connId: c.id, userId: claims.userId, name: claims.userName, role: claims.role };
    const result = await backplane.join(claims.room, member, claims.maxParticipants, claims.ejectAtMs);
    if (!result.ok) {
      unregister(c);
      send(c, { type: 'error', code: 'ROOM_FULL', message: `This room holds at most ${claims.maxParticipants} people.` });
      return close(c, CLOSE.FULL, 'room full');
    }
    if (c.socket.readyState !== c.socket.OPEN) {
      unregister(c);
      await backplane.leave(claims.room, claims.userId, c.id);
      return;
    }
    if (result.replaced && result.replaced.connId !== c.id) await backplane.publish(claims.room, { kind: 'kick', connId: result.replaced.connId });
    c.ejectTimer = setTimeout(() => {
      send(c, { type: 'ejected', reason: 'expired' });
      close(c, CLOSE.EXPIRED, 'room expired');
    }, Math.max(0, claims.ejectAtMs - now()));
    const peers = (await backplane.members(claims.room)).filter((m) => m.userId !== claims.userId).map(peerOf);
    send(c, { type: 'joined', you: peerOf(claims), peers, ejectAt: new Date(claims.ejectAtMs).toISOString(), chat: claims.chat, screenshare: claims.screenshare });
    await backplane.publish(claims.room, { kind: 'deliver', message: { type: 'peer-joined', peer: peerOf(claims) }, exceptConn: c.id });
  }

  async function onMessage(c: Connection, raw: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = null;
    }
    const parsed = ZClientMessage.safeParse(json);
    if (!parsed.success) {
      send(c, { type: 'error', code: 'BAD_FRAME', message: 'Unrecognised frame.' });
      if (!c.claims) close(c, CLOSE.BAD_FRAME, 'bad frame');
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'join') {
      if (!c.claims) await join(c, msg.token);
      return;
    }
    const claims = c.claims;
    if (!claims) {
      send(c, { type: 'error', code: 'NOT_JOINED', message: 'Send join with your room token first.' });
      return close(c, CLOSE.BAD_FRAME, 'not joined');
    }
    if (msg.type === 'signal') {
      await backplane.publish(claims.room, { kind: 'deliver', message: { type: 'signal', from: claims.userId, data: msg.data }, exceptConn: c.id });
    } else if (msg.type === 'chat') {
      if (!claims.chat) return send(c, { type: 'error', code: 'CHAT_DISABLED', message: 'Chat is disabled in this room.' });
      await backplane.publish(claims.room, { kind: 'deliver', message: { type: 'chat', from: claims.userId, name: claims.userName, text: msg.text, at: new Date(now()).toISOString() } });
    } else {
      close(c, 1000, 'left');
    }
  }

  async function onClose(c: Connection): Promise<void> {
    local.delete(c.id);
    if (c.ejectTimer) clearTimeout(c.ejectTimer);
    const claims = unregister(c);
    if (!claims) return;
    if (await backplane.leave(claims.room, claims.userId, c.id)) {
      await backplane.publish(claims.room, { kind: 'deliver', message: { type: 'peer-left', userId: claims.userId }, exceptConn: c.id });
    }
  }

  return {
    /** Takes over one accepted WebSocket. */
    handle(socket: WebSocket): void {
      const c: Connection = { id: randomUUID(), socket, claims: null, ejectTimer: null, alive: true };
      local.set(c.id, c);
      const joinTimer = setTimeout(() => {
        if (!c.claims) close(c, CLOSE.AUTH_TIMEOUT, 'join timeout');
      }, options.joinTimeoutMs ?? 10_000);
      // Frames are handled one at a time, in order (join must finish before the first signal).
      let queue = Promise.resolve();
      socket.on('pong', () => {
        c.alive = true;
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return close(c, CLOSE.BAD_FRAME, 'binary frame');
        queue = queue.then(() => onMessage(c, data.toString())).catch((err: unknown) => {
          logger.warn({ err }, 'signaling frame failed');
          close(c, 1011, 'server error');
        });
      });
      socket.on('close', () => {
        clearTimeout(joinTimer);
        queue = queue.then(() => onClose(c)).catch((err: unknown) => logger.warn({ err }, 'signaling close failed'));
      });
      socket.on('error', () => undefined);
    },
    /**
     * Ejects everyone from a room, on every instance (through the backplane): its session was
     * cancelled or moved. Their tokens are refused from then on (`admit`).
     */
    async eject(room: string, reason: 'cancelled' | 'rescheduled'): Promise<void> {
      await backplane.publish(room, { kind: 'eject', reason });
    },
    stats: () => ({ connections: local.size, rooms: byRoom.size, backplane: backplane.kind }),
    async close(): Promise<void> {
      clearInterval(heartbeat);
      for (const c of local.values()) close(c, 1001, 'server shutting down');
      await backplane.close();
    },
  };
}

export type SignalingHub = ReturnType<typeof createSignalingHub>;
