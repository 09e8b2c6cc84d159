import { z } from 'zod';

/**
 * The built-in signaling protocol (JSON text frames over one WebSocket per participant).
 * The client authenticates with its room token in the first frame; the server relays
 * SDP/ICE between the two peers, carries the text chat and ejects everyone when the room
 * expires. Close codes: 4400 bad frame, 4401 bad token, 4403 room full, 4408 room expired,
 * 4409 replaced by a newer connection of the same user, 4410 the session was cancelled or
 * moved (its tokens no longer admit anyone).
 */
export const CLOSE = { BAD_FRAME: 4400, BAD_TOKEN: 4401, FULL: 4403, EXPIRED: 4408, REPLACED: 4409, REVOKED: 4410, AUTH_TIMEOUT: 4402 } as const;

export const MAX_CHAT_CHARS = 2000;

export const ZClientMessage = z.discriminatedUnion('type', [
  /**
   * `displayName` is accepted for older clients and ignored: a peer's name, like its identity
   * and role, comes from its room token (set by the server from the user's account).
   */
  z.object({ type: z.literal('join'), token: z.string().min(1).max(4096), displayName: z.string().trim().min(1).max(80).optional() }),
  /** An SDP description or ICE candidate for the other peer (opaque to the server). */
  z.object({ type: z.literal('signal'), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('chat'), text: z.string().trim().min(1).max(MAX_CHAT_CHARS) }),
  z.object({ type: z.literal('leave') }),
]);
export type ClientMessage = z.infer<typeof ZClientMessage>;

export interface Peer {
  userId: string;
  name: string;
  role: 'owner' | 'participant';
}

export type ServerMessage =
  | { type: 'joined'; you: Peer; peers: Peer[]; ejectAt: string; chat: boolean; screenshare: boolean }
  | { type: 'peer-joined'; peer: Peer }
  | { type: 'peer-left'; userId: string }
  | { type: 'signal'; from: string; data: Record<string, unknown> }
  | { type: 'chat'; from: string; name: string; text: string; at: string }
  /** `cancelled` / `rescheduled`: the session was cancelled or moved; a moved one has a new room (fetch a new token). */
  | { type: 'ejected'; reason: 'expired' | 'replaced' | 'cancelled' | 'rescheduled' }
  | { type: 'error'; code: 'BAD_FRAME' | 'BAD_TOKEN' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' | 'ROOM_FULL' | 'NOT_JOINED' | 'CHAT_DISABLED'; message: string };
