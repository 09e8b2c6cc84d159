import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/client.js';
import { users } from '../../db/core-tables.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { actingUserId, inOrganization, visibleTo } from '../../platform/scope.js';
import type { Plan } from '../../shared/accounts.js';
import type { VoiceEndReason, VoiceMinutes, VoiceUsageResponse } from '../../shared/api/voice.js';
import type { ConversationKind } from '../../shared/conversations.js';
import { periodOf } from '../chat/credit-ledger.js';
import { voiceUsage } from './tables.js';

/**
 * Voice minutes (docs/voice.md#voice-minutes, ADR 0013): every plan has a monthly allowance of
 * voice per member, counted in seconds on the calendar month in UTC, like chat credits (ADR 0005).
 *
 * A session of the self-hosted engine HOLDS its time before it starts and a lease at a time
 * after that (`begin`, `extend`: at most `leaseMs` each, never more than what is left), and
 * writes what it really used when it ends (`finish`: never more than it holds). A month's use is
 * the sum of its ended sessions' seconds plus what running sessions hold, so with N seconds left
 * at most N seconds can be granted, whatever the concurrency: a grant locks the member (a
 * transaction-scoped advisory lock), then counts, then inserts or extends, each statement seeing
 * every grant committed while it waited (READ COMMITTED takes a snapshot per statement).
 */

/** Monthly allowances in minutes per plan (null = unlimited), from the configuration. */
export type VoiceAllowances = Record<Plan, number | null>;

export const voiceAllowances = (config: Pick<Config, 'VOICE_MINUTES_FREE' | 'VOICE_MINUTES_BASIC' | 'VOICE_MINUTES_PREMIUM'>): VoiceAllowances => ({
  FREE: config.VOICE_MINUTES_FREE,
  BASIC: config.VOICE_MINUTES_BASIC,
  PREMIUM: config.VOICE_MINUTES_PREMIUM,
});

/** The member a realtime session runs for (from its credential). */
export interface VoiceMember {
  userId: string;
  organizationId: string;
}

/** What a running session holds: seconds of allowance granted so far, or null on an unlimited plan. */
export interface VoiceLease {
  grantedSeconds: number | null;
}

export interface VoiceMinutesOptions {
  allowances: VoiceAllowances;
  /** Most allowance one grant holds (the first at start, then one per renewal). Default 60 s. */
  leaseMs?: number;
  now?: () => Date;
}

/** The 402 answered when the month's voice minutes are used up: the chat's body, with words for voice. */
export const noVoiceMinutesError = () =>
  new AppError('NO_CREDITS', 'Vous avez épuisé vos minutes de voix. Passez à un abonnement supérieur pour continuer.', undefined, {
    title: 'Crédits insuffisants',
  });

/** The engine acts for the member its credential names: the member's own rows, in their organization. */
const memberActor = (member: VoiceMember): Actor => ({ kind: 'user', organizationId: member.organizationId, userId: member.userId, role: 'member' });

const owned = { organizationId: voiceUsage.organizationId, ownerId: voiceUsage.userId };

/** Seconds a month counts: ended sessions' use, running sessions' holds. */
const usedSeconds = sql<string>`coalesce(sum(case when ${voiceUsage.endedAt} is null then coalesce(${voiceUsage.grantedSeconds}, 0) else coalesce(${voiceUsage.seconds}, 0) end), 0)`;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Runner = Db | Tx;

export function createVoiceMinutes(database: { db: Db }, deps: { isInOrganization(userId: string, organizationId: string): Promise<boolean> }, options: VoiceMinutesOptions) {
  const { db } = database;
  const now = options.now ?? (() => new Date());
  const leaseSeconds = Math.max(1, Math.round((options.leaseMs ?? 60_000) / 1000));
  const allowanceSeconds = (plan: Plan): number | null => {
    const minutes = options.allowances[plan];
    return minutes === null ? null : minutes * 60;
  };

  async function planOf(runner: Runner, actor: Actor, userId: string): Promise<Plan | undefined> {
    const [row] = await runner.select({ plan: users.plan }).from(users).where(inOrganization(actor, users.organizationId, eq(users.id, userId)));
    return row?.plan;
  }

  async function used(runner: Runner, actor: Actor, userId: string, period: string): Promise<number> {
    const [row] = await runner
      .select({ used: usedSeconds })
      .from(voiceUsage)
      .where(visibleTo(actor, owned, eq(voiceUsage.userId, userId), eq(voiceUsage.period, period)));
    return Number(row?.used ?? 0);
  }

  async function minutesOf(runner: Runner, actor: Actor, userId: string): Promise<VoiceMinutes> {
    const plan = await planOf(runner, actor, userId);
    if (!plan) throw new AppError('NOT_FOUND', 'User not found.');
    const period = periodOf(now());
    const allowance = allowanceSeconds(plan);
    const usedNow = await used(runner, actor, userId, period);
    const remaining = allowance === null ? null : Math.max(0, allowance - usedNow);
    return { plan, period, allowanceSeconds: allowance, usedSeconds: usedNow, remainingSeconds: remaining, status: remaining === 0 ? 'NO_CREDITS' : 'ACTIVE' };
  }

  /** Serialises the grants of one member until the transaction ends (both databases; PGlite runs one transaction at a time anyway). */
  const lockMember = (tx: Tx, userId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`voice_usage:${userId}`}, 0))`);

  /** The end's one statement (see `finish`). */
  async function record(member: VoiceMember, sessionId: string, ended: { durationMs: number; reason: VoiceEndReason }): Promise<number | null> {
    const actor = memberActor(member);
    const spoken = Math.max(0, Math.ceil(ended.durationMs / 1000));
    const [row] = await db
      .update(voiceUsage)
      .set({
        seconds: sql`case when ${voiceUsage.grantedSeconds} is null then ${spoken}::int else least(${voiceUsage.grantedSeconds}, ${spoken}::int) end`,
        endedAt: now(),
        endReason: ended.reason,
      })
      .where(visibleTo(actor, owned, eq(voiceUsage.sessionId, sessionId), isNull(voiceUsage.endedAt)))
      .returning({ seconds: voiceUsage.seconds });
    return row?.seconds ?? null;
  }
  const pending = new Set<Promise<unknown>>();

  return {
    allowanceSeconds,

    /** A member's minutes this month (the account page, the admin panel). */
    async usage(actor: Actor, requestedUserId: string | undefined): Promise<VoiceUsageResponse> {
      const userId = await actingUserId(actor, requestedUserId, deps.isInOrganization);
      const minutes = await minutesOf(db, actor, userId);
      const rows = await db
        .select()
        .from(voiceUsage)
        .where(visibleTo(actor, owned, eq(voiceUsage.userId, userId), eq(voiceUsage.period, minutes.period)))
        .orderBy(desc(voiceUsage.startedAt), desc(voiceUsage.id))
        .limit(50);
      return {
        userId,
        minutes,
        sessions: rows.map((r) => ({
          sessionId: r.sessionId,
          kind: r.kind,
          startedAt: r.startedAt.toISOString(),
          endedAt: r.endedAt?.toISOString() ?? null,
          seconds: r.seconds,
          endReason: r.endReason,
        })),
      };
    },

    /** Before minting voice credentials: 402 NO_CREDITS when the member has no voice time left this month. */
    async assertAvailable(member: VoiceMember): Promise<void> {
      const minutes = await minutesOf(db, memberActor(member), member.userId);
      if (minutes.remainingSeconds !== null && minutes.remainingSeconds <= 0) throw noVoiceMinutesError();
    },

    /**
     * A session is about to start: holds the first lease (at most `leaseMs`, at most what is
     * left). Null when nothing is left (or the member is gone): the session must not start.
     */
    async begin(member: VoiceMember, session: { sessionId: string; kind: ConversationKind }): Promise<VoiceLease | null> {
      const actor = memberActor(member);
      return db.transaction(async (tx) => {
        await lockMember(tx, member.userId);
        const plan = await planOf(tx, actor, member.userId);
        if (!plan) return null;
        const at = now();
        const period = periodOf(at);
        const allowance = allowanceSeconds(plan);
        let granted: number | null = null;
        if (allowance !== null) {
          const free = allowance - (await used(tx, actor, member.userId, period));
          if (free <= 0) return null;
          granted = Math.min(free, leaseSeconds);
        }
        await tx.insert(voiceUsage).values({
          id: randomUUID(),
          organizationId: member.organizationId,
          userId: member.userId,
          sessionId: session.sessionId,
          kind: session.kind,
          period,
          plan,
          grantedSeconds: granted,
          startedAt: at,
        });
        return { grantedSeconds: granted };
      });
    },

    /**
     * A running session used up its lease: holds another one if the month has time left (the
     * session's own period). `extra` 0: nothing left, the session must end. `grantedSeconds`
     * null: the member's plan became unlimited meanwhile.
     */
    async extend(member: VoiceMember, sessionId: string): Promise<{ grantedSeconds: number | null; extra: number }> {
      const actor = memberActor(member);
      return db.transaction(async (tx) => {
        await lockMember(tx, member.userId);
        const [row] = await tx
          .select({ grantedSeconds: voiceUsage.grantedSeconds, period: voiceUsage.period })
          .from(voiceUsage)
          .where(visibleTo(actor, owned, eq(voiceUsage.sessionId, sessionId), isNull(voiceUsage.endedAt)));
        if (!row) return { grantedSeconds: 0, extra: 0 };
        if (row.grantedSeconds === null) return { grantedSeconds: null, extra: 0 };
        const plan = await planOf(tx, actor, member.userId);
        if (!plan) return { grantedSeconds: row.grantedSeconds, extra: 0 };
        const allowance = allowanceSeconds(plan);
        if (allowance === null) {
          await tx.update(voiceUsage).set({ grantedSeconds: null }).where(visibleTo(actor, owned, eq(voiceUsage.sessionId, sessionId)));
          return { grantedSeconds: null, extra: 0 };
        }
        const free = allowance - (await used(tx, actor, member.userId, row.period));
        const extra = Math.max(0, Math.min(free, leaseSeconds));
        if (extra === 0) return { grantedSeconds: row.grantedSeconds, extra: 0 };
        const grantedSeconds = row.grantedSeconds + extra;
        await tx.update(voiceUsage).set({ grantedSeconds }).where(visibleTo(actor, owned, eq(voiceUsage.sessionId, sessionId)));
        return { grantedSeconds, extra };
      });
    },

    /**
     * The session ended after `durationMs`: writes the seconds it used (rounded up, never more
     * than it held), which frees the rest of its hold. One statement on the session's own row;
     * a second call is a no-op. Returns the seconds counted (null if the row was not running).
     */
    finish(member: VoiceMember, sessionId: string, ended: { durationMs: number; reason: VoiceEndReason }): Promise<number | null> {
      const write = record(member, sessionId, ended);
      pending.add(write);
      void write.then(() => pending.delete(write), () => pending.delete(write));
      return write;
    },

    /** Waits for the seconds still being written (at shutdown: sessions it ended, before the database closes). */
    async drain(): Promise<void> {
      await Promise.allSettled([...pending]);
    },

    /** A member's minutes this month, as the engine sees them (tests, the CLI). */
    minutesOf: (member: VoiceMember) => minutesOf(db, memberActor(member), member.userId),

    /** A session row as stored (tests). */
    async sessionRow(member: VoiceMember, sessionId: string) {
      const [row] = await db.select().from(voiceUsage).where(visibleTo(memberActor(member), owned, and(eq(voiceUsage.sessionId, sessionId))));
      return row;
    },
  };
}

export type VoiceMinutesService = ReturnType<typeof createVoiceMinutes>;
