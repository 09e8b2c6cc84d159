import { createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../../db/client.js';
import { defineStatement, type RawDb } from '../../db/raw.js';
import { refreshTokens, sessions, users } from '../../db/core-tables.js';
import { type Role } from '../../shared/accounts.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';

const ISSUER = 'coach-hub';
const AUDIENCE = 'coach-hub-api';

/**
 * The live session (and its user) an access token names. Every API request runs this one: a
 * statement without the ORM, prepared once per connection (src/db/raw.ts).
 */
const LIVE_SESSION_BY_ID = defineStatement(
  'access_token_session',
  (p) => `
    select s.id as session_id, u.id as user_id, u.organization_id, u.role
    from "session" s join "user" u on u.id = s.user_id
    where s.id = ${p('id')} and s.expires_at > ${p('now')}::timestamptz`,
);

/** Refresh tokens are 32 random bytes; only their SHA-256 is stored (like API keys). */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newRefreshToken = () => randomBytes(32).toString('base64url');

/**
 * Short-lived access tokens (JWT, HS256 via jose) for API clients. Each one names the
 * better-auth session it came from, so signing out or revoking the session makes its access
 * tokens fail at once, and role changes apply on the next request (the role is read from the
 * database, not trusted from the claims).
 *
 * Refresh tokens rotate (OAuth 2.0 Security BCP, RFC 9700 §4.14): each is good for one refresh,
 * which returns the next one. The tokens of one sign-in form a family, the session; presenting
 * a spent token again means it was copied, so the whole family is revoked (the session is
 * deleted: its access tokens and its newest refresh token stop working too).
 */
export function createAccessTokens(database: { db: Db; raw: RawDb }, options: { secret: string; ttlMs: number; now?: () => number }) {
  const { db } = database;
  const keyBytes = new Uint8Array(hkdfSync('sha256', options.secret, 'coach-hub', 'access-token-v1', 32));
  // Imported once: given raw bytes, jose imports a CryptoKey on every sign/verify (hot path).
  const key = crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
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
      .sign(await key);
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: exp - iat, expiresAt: new Date(exp * 1000).toISOString() };
  }

  const liveSessionQuery = (where: ReturnType<typeof eq>) =>
    db
      .select({ sessionId: sessions.id, expiresAt: sessions.expiresAt, userId: users.id })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(where, gt(sessions.expiresAt, sql.placeholder('now'))));

  /**
   * Tokens already verified, by their exact text: a client sends the same token for up to its
   * 15-minute life, and HMAC verification through WebCrypto was the costliest step of an API
   * request. Expiry is still checked on every use; revocation is checked in the database.
   */
  const verified = new Map<string, { sid: string; sub: string; exp: number }>();
  const VERIFIED_MAX = 10_000;

  async function verifiedClaims(token: string): Promise<{ sid: string; sub: string }> {
    const cached = verified.get(token);
    if (cached) {
      if (cached.exp * 1000 > now()) return cached;
      verified.delete(token);
      throw new AppError('UNAUTHENTICATED', 'The access token has expired.');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(now()) }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new AppError('UNAUTHENTICATED', expired ? 'The access token has expired.' : 'The access token is invalid.');
    }
    if (typeof payload.sid !== 'string' || !payload.sub || typeof payload.exp !== 'number') throw new AppError('UNAUTHENTICATED', 'The access token is invalid.');
    const claims = { sid: payload.sid, sub: payload.sub, exp: payload.exp };
    // Oldest first (Map keeps insertion order): evict the oldest when full.
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
    return claims;
  }

  async function liveSession(where: ReturnType<typeof eq>) {
    const [row] = await liveSessionQuery(where).execute({ now: new Date(now()) });
    return row;
  }

  return {
    mint,

    /** Verifies a bearer JWT and returns the actor; any failure is UNAUTHENTICATED. */
    async verify(token: string): Promise<Actor> {
      const claims = await verifiedClaims(token);
      const [row] = await database.raw.query<{ session_id: string; user_id: string; organization_id: string; role: Role }>(LIVE_SESSION_BY_ID, {
        id: claims.sid,
        now: new Date(now()).toISOString(),
      });
      if (!row || row.user_id !== claims.sub) throw new AppError('UNAUTHENTICATED', 'The access token has been revoked.');
      return { kind: 'user', userId: row.user_id, organizationId: row.organization_id, role: row.role, sessionId: row.session_id };
    },

    /**
     * Starts a refresh family for a session just created by a sign-in (its better-auth token,
     * never handed out): an access token and the family's first refresh token.
     */
    async issue(sessionToken: string) {
      const row = await liveSession(eq(sessions.token, sessionToken));
      if (!row) throw new AppError('UNAUTHENTICATED', 'The session has expired or been revoked.');
      const refreshToken = newRefreshToken();
      await db.insert(refreshTokens).values({ id: randomUUID(), sessionId: row.sessionId, hash: hashToken(refreshToken), createdAt: new Date(now()) });
      return { ...(await mint(row.sessionId, row.userId)), refreshToken, refreshExpiresAt: row.expiresAt.toISOString() };
    },

    /**
     * Spends a refresh token for a new access token and the next refresh token. A token already
     * spent revokes its whole family (UNAUTHENTICATED); of two refreshes racing with one token,
     * one spends it and the other is that replay.
     */
    async refresh(refreshToken: string) {
      const hash = hashToken(refreshToken);
      const at = new Date(now());
      const next = newRefreshToken();
      const outcome = await db.transaction(async (tx) => {
        // One statement spends the token: concurrent refreshes cannot both see it unspent.
        const [spent] = await tx
          .update(refreshTokens)
          .set({ usedAt: at })
          .where(and(eq(refreshTokens.hash, hash), isNull(refreshTokens.usedAt)))
          .returning({ sessionId: refreshTokens.sessionId });
        if (!spent) {
          const [known] = await tx.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.hash, hash));
          if (!known) return { kind: 'unknown' as const };
          await tx.delete(sessions).where(eq(sessions.id, known.sessionId));
          return { kind: 'replayed' as const };
        }
        const [session] = await tx
          .select({ sessionId: sessions.id, expiresAt: sessions.expiresAt, userId: sessions.userId })
          .from(sessions)
          .where(and(eq(sessions.id, spent.sessionId), gt(sessions.expiresAt, at)));
        if (!session) return { kind: 'unknown' as const };
        await tx.insert(refreshTokens).values({ id: randomUUID(), sessionId: session.sessionId, hash: hashToken(next), createdAt: at });
        return { kind: 'rotated' as const, session };
      });
      if (outcome.kind === 'replayed') throw new AppError('UNAUTHENTICATED', 'The refresh token was already used: its session has been revoked. Sign in again.');
      if (outcome.kind === 'unknown') throw new AppError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked.');
      const { session } = outcome;
      return { ...(await mint(session.sessionId, session.userId)), refreshToken: next, refreshExpiresAt: session.expiresAt.toISOString() };
    },

    /** Revokes the family of a refresh token (spent or not): its session and every access token minted from it. Unknown tokens are ignored. */
    async revoke(refreshToken: string): Promise<void> {
      const [known] = await db.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.hash, hashToken(refreshToken)));
      if (known) await db.delete(sessions).where(eq(sessions.id, known.sessionId));
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
