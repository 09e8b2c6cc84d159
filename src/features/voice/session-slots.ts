/**
 * How many realtime sessions run per user and per organization, across every instance: a slot
 * is taken before a session starts (refused beyond the limits) and given back when it ends. Each
 * slot has a lease the instance renews while its session runs, so the slots of a crashed
 * instance stop counting after `leaseMs`. In Redis when REDIS_URL is set (two sorted sets scored
 * by lease end, changed by one script), else in the database (rows, one organization at a time
 * under a transaction-scoped advisory lock).
 */
import { and, count, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import { voiceSessionSlots } from './tables.js';

export interface SlotOwner {
  sessionId: string;
  userId: string;
  organizationId: string;
}

export interface SlotLimits {
  perUser: number;
  perOrganization: number;
}

export type SlotVerdict = 'ok' | 'user_limit' | 'organization_limit';

export interface VoiceSessionSlots {
  readonly kind: 'redis' | 'database';
  acquire(owner: SlotOwner, limits: SlotLimits): Promise<SlotVerdict>;
  release(owner: SlotOwner): Promise<void>;
  /** Extends the leases of these running sessions. */
  renew(owners: readonly SlotOwner[]): Promise<void>;
}

export function createDbSessionSlots(db: Db, leaseMs: number, now: () => number = Date.now): VoiceSessionSlots {
  return {
    kind: 'database',
    async acquire(owner, limits) {
      return db.transaction(async (tx) => {
        // Serializes acquisitions per organization (a user belongs to one), on every instance.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`voice-slots:${owner.organizationId}`}))`);
        const at = new Date(now());
        await tx.delete(voiceSessionSlots).where(and(eq(voiceSessionSlots.organizationId, owner.organizationId), lte(voiceSessionSlots.leaseUntil, at)));
        const [user] = await tx.select({ n: count() }).from(voiceSessionSlots).where(and(eq(voiceSessionSlots.userId, owner.userId), gt(voiceSessionSlots.leaseUntil, at)));
        if ((user?.n ?? 0) >= limits.perUser) return 'user_limit';
        const [org] = await tx.select({ n: count() }).from(voiceSessionSlots).where(and(eq(voiceSessionSlots.organizationId, owner.organizationId), gt(voiceSessionSlots.leaseUntil, at)));
        if ((org?.n ?? 0) >= limits.perOrganization) return 'organization_limit';
        await tx.insert(voiceSessionSlots).values({ ...owner, leaseUntil: new Date(now() + leaseMs) });
        return 'ok';
      });
    },
    async release(owner) {
      await db.delete(voiceSessionSlots).where(eq(voiceSessionSlots.sessionId, owner.sessionId));
    },
    async renew(owners) {
      if (owners.length === 0) return;
      await db
        .update(voiceSessionSlots)
        .set({ leaseUntil: new Date(now() + leaseMs) })
        .where(inArray(voiceSessionSlots.sessionId, owners.map((o) => o.sessionId)));
    },
  };
}

// KEYS: user set, organization set. ARGV: now, lease end, session id, per-user, per-organization.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
return 0`;

export function createRedisSessionSlots(redis: Redis, prefix: string, leaseMs: number, now: () => number = Date.now): VoiceSessionSlots {
  const userKey = (id: string) => `${prefix}voice:slots:user:${id}`;
  const orgKey = (id: string) => `${prefix}voice:slots:org:${id}`;
  return {
    kind: 'redis',
    async acquire(owner, limits) {
      const at = now();
      const result = (await redis.eval(ACQUIRE, 2, userKey(owner.userId), orgKey(owner.organizationId), String(at), String(at + leaseMs), owner.sessionId, String(limits.perUser), String(limits.perOrganization))) as number;
      return result === 1 ? 'user_limit' : result === 2 ? 'organization_limit' : 'ok';
    },
    async release(owner) {
      await redis.multi().zrem(userKey(owner.userId), owner.sessionId).zrem(orgKey(owner.organizationId), owner.sessionId).exec();
    },
    async renew(owners) {
      if (owners.length === 0) return;
      const until = now() + leaseMs;
      const batch = redis.multi();
      for (const o of owners) {
        batch.zadd(userKey(o.userId), 'XX', until, o.sessionId).pexpireat(userKey(o.userId), until);
        batch.zadd(orgKey(o.organizationId), 'XX', until, o.sessionId).pexpireat(orgKey(o.organizationId), until);
      }
      await batch.exec();
    },
  };
}
