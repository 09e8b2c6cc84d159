import { AppError } from '../../platform/errors.js';
import type { IceServer } from '../../config/video-config.js';
import { roomTokenKey, signRoomToken } from './room-token.js';
import type { RoomSpec, TokenRequest, VideoProvider, VideoRoom } from './types.js';

/**
 * Built-in 1:1 WebRTC rooms: nothing to create remotely — the room's properties travel in
 * the signed token, and our signaling server (signaling/) enforces them (max participants,
 * ejection at expiry). Rooms are remembered only to answer `createRoom` idempotently.
 */
export function createBuiltinVideoProvider(options: { authSecret: string; publicUrl: string; iceServers: IceServer[] }): VideoProvider {
  const key = roomTokenKey(options.authSecret);
  const specs = new Map<string, RoomSpec>();
  return {
    name: 'builtin',
    capabilities: { recording: 'browser', client: 'builtin-webrtc' },
    async createRoom(spec: RoomSpec): Promise<VideoRoom> {
      if (specs.size > 10_000) specs.clear(); // a cache only: tokens carry what matters
      specs.set(spec.name, spec);
      return { provider: 'builtin', name: spec.name, url: `${options.publicUrl}/sessions/room/${encodeURIComponent(spec.name)}`, expiresAtMs: spec.expiresAtMs };
    },
    async mintToken(request: TokenRequest): Promise<string> {
      const expiresAtMs = Math.min(request.expiresAtMs, request.room.expiresAtMs);
      if (expiresAtMs <= Date.now()) throw new AppError('CONFLICT', 'The room has expired.');
      const spec = specs.get(request.room.name);
      return signRoomToken(key, {
        room: request.room.name,
        reservationId: request.reservation.id,
        tokenVersion: request.reservation.tokenVersion,
        userId: request.userId,
        userName: request.userName,
        role: request.role,
        expiresAtMs,
        ejectAtMs: request.room.expiresAtMs,
        maxParticipants: spec?.maxParticipants ?? 2,
        screenshare: spec?.screenshare ?? true,
        chat: spec?.chat ?? true,
      });
    },
    describe: () => ({ provider: 'builtin', iceServers: options.iceServers.length, turn: options.iceServers.some((s) => [s.urls].flat().some((u) => u.startsWith('turn'))) }),
  };
}
