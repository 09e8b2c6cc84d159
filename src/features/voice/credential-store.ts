/**
 * Local voice credentials, server side: the session spec chosen at mint (the token carries only
 * its id), and the one-time use — a credential starts one session, on whichever instance. In
 * Redis when REDIS_URL is set (SET NX with an expiry), else in the database (a conditional UPDATE).
 * Reads and writes go by the credential's id (the token's signed `jti`): minting writes the
 * minting actor's organization; the engine, which has no actor, reads by that id only.
 */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import type { VoiceSessionSpec } from './session-spec.js';
import { voiceCredentials } from './tables.js';

export interface StoredCredential {
  id: string;
  organizationId: string;
  userId: string;
  spec: VoiceSessionSpec;
  expiresAtMs: number;
}

export interface VoiceCredentialStore {
  readonly kind: 'redis' | 'database';
  put(credential: StoredCredential): Promise<void>;
  /** The spec of a credential that has not expired (used or not: `consume` decides); unknown or expired: null. */
  spec(id: string): Promise<VoiceSessionSpec | null>;
  /** Marks the credential used: true for the first caller only, on every instance. */
  consume(id: string): Promise<boolean>;
}

/** Used credentials are kept this long after they expire (a late replay still finds them used). */
const KEEP_AFTER_EXPIRY_MS = 60 * 60_000;
/** How often one instance deletes the database's old rows (on a mint). */
const SWEEP_EVERY_MS = 10 * 60_000;

export function createDbCredentialStore(db: Db, now: () => number = Date.now): VoiceCredentialStore {
  let lastSweepMs = 0;
  return {
    kind: 'database',
    async put(c) {
      await db.insert(voiceCredentials).values({ id: c.id, organizationId: c.organizationId, userId: c.userId, spec: c.spec, expiresAt: new Date(c.expiresAtMs) });
      if (now() - lastSweepMs > SWEEP_EVERY_MS) {
        lastSweepMs = now();
        await db.delete(voiceCredentials).where(lt(voiceCredentials.expiresAt, new Date(now() - KEEP_AFTER_EXPIRY_MS)));
      }
    },
    async spec(id) {
      const [row] = await db
        .select({ spec: voiceCredentials.spec })
        .from(voiceCredentials)
        .where(and(eq(voiceCredentials.id, id), gt(voiceCredentials.expiresAt, new Date(now()))));
      return row ? (row.spec as VoiceSessionSpec) : null;
    },
    async consume(id) {
      // One UPDATE: concurrent callers (any instance) serialize on the row; one sees used_at null.
      const rows = await db
        .update(voiceCredentials)
        .set({ usedAt: sql`now()` })
        .where(and(eq(voiceCredentials.id, id), isNull(voiceCredentials.usedAt), gt(voiceCredentials.expiresAt, new Date(now()))))
        .returning({ id: voiceCredentials.id });
      return rows.length === 1;
    },
  };
}

export function createRedisCredentialStore(redis: Redis, prefix: string, now: () => number = Date.now): VoiceCredentialStore {
  const specKey = (id: string) => `${prefix}voice:credential:${id}`;
  const usedKey = (id: string) => `${prefix}voice:credential-used:${id}`;
  return {
    kind: 'redis',
    async put(c) {
      await redis.set(specKey(c.id), JSON.stringify({ spec: c.spec, expiresAtMs: c.expiresAtMs }), 'PX', Math.max(1, c.expiresAtMs - now()));
    },
    async spec(id) {
      const stored = await redis.get(specKey(id));
      if (!stored) return null;
      const parsed = JSON.parse(stored) as { spec: VoiceSessionSpec; expiresAtMs: number };
      return parsed.expiresAtMs > now() ? parsed.spec : null;
    },
    async consume(id) {
      const stored = await redis.get(specKey(id));
      if (!stored) return false;
      const { expiresAtMs } = JSON.parse(stored) as { expiresAtMs: number };
      if (expiresAtMs <= now()) return false;
      return (await redis.set(usedKey(id), '1', 'PX', expiresAtMs - now() + KEEP_AFTER_EXPIRY_MS, 'NX')) === 'OK';
    },
  };
}
