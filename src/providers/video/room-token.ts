import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { VideoRole } from './types.js';

/** What a built-in room token carries: the room's properties travel with it (stateless join). */
export interface RoomClaims {
  room: string;
  /** The reservation the room belongs to, and its token version when minted (checked at join). */
  reservationId: string;
  tokenVersion: number;
  userId: string;
  userName: string;
  role: VideoRole;
  /** Token expiry (joining refused after it). */
  expiresAtMs: number;
  /** Room expiry: everyone is ejected then. */
  ejectAtMs: number;
  maxParticipants: number;
  screenshare: boolean;
  chat: boolean;
}

const ISSUER = 'coachhub';
const AUDIENCE = 'coachhub:video-room';

/** A key of its own for room tokens, derived from AUTH_SECRET (never the secret itself). */
export function roomTokenKey(authSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', authSecret, 'coachhub', 'video-room-token', 32));
}

export async function signRoomToken(key: Uint8Array, claims: RoomClaims): Promise<string> {
  return new SignJWT({
    room: claims.room,
    rid: claims.reservationId,
    ver: claims.tokenVersion,
    name: claims.userName,
    role: claims.role,
    eject_at: Math.floor(claims.ejectAtMs / 1000),
    max: claims.maxParticipants,
    screenshare: claims.screenshare,
    chat: claims.chat,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAtMs / 1000))
    .sign(key);
}

export class RoomTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'The room token has expired.' : 'The room token is invalid.');
  }
}

/** Verifies signature, audience and expiry; the room itself must not be past its ejection time. */
export async function verifyRoomToken(key: Uint8Array, token: string, nowMs = Date.now()): Promise<RoomClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp'],
    });
    const p = payload as Record<string, unknown>;
    if (
      typeof p.room !== 'string' ||
      typeof p.rid !== 'string' ||
      !Number.isInteger(p.ver) ||
      (p.role !== 'owner' && p.role !== 'participant') ||
      typeof p.eject_at !== 'number'
    ) {
      throw new RoomTokenError('invalid');
    }
    const claims: RoomClaims = {
      room: p.room,
      reservationId: p.rid,
      tokenVersion: p.ver as number,
      userId: String(payload.sub),
      userName: typeof p.name === 'string' ? p.name : '',
      role: p.role,
      expiresAtMs: payload.exp! * 1000,
      ejectAtMs: p.eject_at * 1000,
      maxParticipants: typeof p.max === 'number' ? p.max : 2,
      screenshare: p.screenshare === true,
      chat: p.chat === true,
    };
    if (claims.ejectAtMs <= nowMs) throw new RoomTokenError('expired');
    return claims;
  } catch (err) {
    if (err instanceof RoomTokenError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new RoomTokenError('expired');
    throw new RoomTokenError('invalid');
  }
}
