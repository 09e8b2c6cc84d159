import { hkdfSync } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../../db/client.js';
import { sessions, users } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';

const ISSUER = 'coach-hub';
const AUDIENCE = 'coach-hub-api';

/**
 * Short-lived access tokens (JWT, HS256 via jose) for API clients. Each one names the
 * better-auth session it came from; that session's token is the refresh token, so signing
 * out or revoking the session makes its access tokens fail at once, and role changes apply
 * on the next request (the role is read from the database, not trusted from the claims).
 */
export function createAccessTokens(db: Db, options: { secret: string; ttlMs: number; now?: () => number }) {
  const key = new Uint8Array(hkdfSync('sha256', options.secret, 'coach-hub', 'access-token-v1', 32));
  const now = options.now ?? Date.now;

  async function mint(sessionId: string, userId: string) {
    const iat = Math.floor(now() / 1000);
    const exp = iat + Math.floor(options.ttlMs / 1000);
    const accessToken = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: exp - iat, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async function liveSession(where: ReturnType<typeof eq>) {
    const [row] = await db
      .select({ sessionId: sessions.id, token: sessions.token, expiresAt: sessions.expiresAt, userId: users.id, organizationId: users.organizationId, role: users.role })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(where, gt(sessions.expiresAt, new Date(now()))));
    return row;
  }

  return {
    mint,

    /** Verifies a bearer JWT and returns the actor; any failure is UNAUTHENTICATED. */
    async verify(token: string): Promise<Actor> {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: new Date(now()),
        }));
      } catch (err) {
        const expired = err instanceof joseErrors.JWTExpired;
        throw new AppError('UNAUTHENTICATED', expired ? 'The access token has expired.' : 'The access token is invalid.');
      }
      if (typeof payload.sid !== 'string' || !payload.sub) throw new AppError('UNAUTHENTICATED', 'The access token is invalid.');
      const row = await liveSession(eq(sessions.id, payload.sid));
      if (!row || row.userId !== payload.sub) throw new AppError('UNAUTHENTICATED', 'The access token has been revoked.');
      return { kind: 'user', userId: row.userId, organizationId: row.organizationId, role: row.role, sessionId: row.sessionId };
    },

    /** Exchanges a refresh token (a live session token) for a new access token. */
    async refresh(refreshToken: string) {
      const row = await liveSession(eq(sessions.token, refreshToken));
      if (!row) throw new AppError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked.');
      return { ...(await mint(row.sessionId, row.userId)), refreshToken: row.token, refreshExpiresAt: row.expiresAt.toISOString() };
    },

    /** Revokes a refresh token and every access token minted from it. Unknown tokens are ignored. */
    async revoke(refreshToken: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.token, refreshToken));
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
