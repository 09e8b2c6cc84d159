import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defineStatement, type RawDb, type RawTx } from '../../db/raw.js';
import { creditAccounts, creditLedger, creditReservations } from './tables.js';
import { users } from '../../db/core-tables.js';
import { type CreditEntryKind } from '../../shared/api/chat.js';
import { type Plan } from '../../shared/accounts.js';
import { AppError } from '../../platform/errors.js';

/** Monthly chat credits per plan; null = unlimited. */
export const PLAN_QUOTAS: Record<Plan, number | null> = { FREE: 5, BASIC: 50, PREMIUM: null };

/** The credit period of a date: its calendar month in UTC ("2026-11"). See ADR 0005. */
export const periodOf = (date: Date): string => date.toISOString().slice(0, 7);

/** The 402 body required by the Chat API (title and message in French, like the original). */
export const noCreditsError = () =>
  new AppError('NO_CREDITS', 'Vous avez épuisé vos crédits de chat. Passez à un abonnement supérieur pour continuer.', undefined, {
    title: 'Crédits insuffisants',
  });

/** Any drizzle handle that can run queries: the database or a transaction. */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Runner = Db | Tx;

export interface CreditState {
  plan: Plan;
  period: string;
  /** Sum of the period's ledger entries. */
  balance: number;
  /** Credits the user can spend now (never negative); null when the plan is unlimited. */
  remaining: number | null;
  /** Sends in flight holding a credit. */
  reserved: number;
}

/** A credit account row read with FOR UPDATE, with its user's current plan. */
export interface LockedAccount {
  period: string;
  plan: Plan;
  balance: number;
  userPlan: Plan;
  organizationId: string;
}

/** A credit held for one send. `id` is null for unlimited plans (nothing to hold). */
export interface Reservation {
  id: string | null;
  userId: string;
}

export interface LedgerEntry {
  id: string;
  period: string;
  kind: CreditEntryKind;
  amount: number;
  plan: Plan;
  reason: string | null;
  messageId: string | null;
  actorUserId: string | null;
  createdAt: string;
}

export interface CreditLedgerOptions {
  now?: () => Date;
  /** How long a hold counts if the process dies before releasing it (default 10 min). */
  reservationTtlMs?: number;
}

const entryView = (row: typeof creditLedger.$inferSelect): LedgerEntry => ({
  id: row.id,
  period: row.period,
  kind: row.kind,
  amount: row.amount,
  plan: row.plan,
  reason: row.reason,
  messageId: row.messageId,
  actorUserId: row.actorUserId,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Takes a hold after the account row is locked (so the statement's snapshot sees every
 * committed hold): drops expired holds, and inserts ours only if the active ones leave a
 * credit free.
 */
const HOLD = defineStatement(
  'credit_hold',
  (p) => `
    with expired as (delete from credit_reservation where user_id = ${p('userId')} and expires_at <= ${p('at')}::timestamptz)
    insert into credit_reservation (id, user_id, created_at, expires_at)
    select ${p('id')}, ${p('userId')}, ${p('at')}::timestamptz, ${p('expiresAt')}::timestamptz
    where (select count(*) from credit_reservation where user_id = ${p('userId')} and expires_at > ${p('at')}::timestamptz) < ${p('balance')}::int
    returning id`,
);

/** The values of `spendCtes`, from the ledger's `spendValues`. */
export interface SpendValues {
  spendAt: string;
  spendUserId: string;
  spendPeriod: string;
  spendReservationId: string | null;
  spendLedgerId: string;
  spendMessageId: string;
}

/**
 * A hold turned into a spend, as CTEs for the statement that saves the reply (one round trip,
 * in its transaction): when the account is on this period and plan, `account` decrements and
 * returns the balance, `released` drops the hold and `spent` appends the ledger entry.
 */
export const spendCtes = (p: (key: keyof SpendValues) => string): string => `
  account as (
    update credit_account a set balance = a.balance - 1, updated_at = ${p('spendAt')}::timestamptz
    from "user" u
    where a.user_id = ${p('spendUserId')} and u.id = a.user_id and a.period = ${p('spendPeriod')} and a.plan = u.plan
    returning a.balance, a.plan, a.organization_id),
  released as (delete from credit_reservation where id = ${p('spendReservationId')}),
  spent as (
    insert into credit_ledger (id, organization_id, user_id, period, plan, kind, amount, message_id, reason)
    select ${p('spendLedgerId')}, organization_id, ${p('spendUserId')}, ${p('spendPeriod')}, plan, 'spend', -1, ${p('spendMessageId')}, 'Chat reply' from account)`;

/**
 * Chat credits as an append-only ledger (ADR 0005). Every operation runs in a transaction that
 * first locks the user's `credit_account` row (SELECT … FOR UPDATE), so concurrent sends of one
 * user are serialised on PostgreSQL (PGlite runs one transaction at a time anyway). Inside the
 * lock, the monthly grant and plan changes are written lazily, then the operation itself.
 */
export function createCreditLedger(database: { db: Db; raw: RawDb }, options: CreditLedgerOptions = {}) {
  const { db } = database;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.reservationTtlMs ?? 10 * 60_000;

  /**
   * Locks the account row (creating it on first use) and brings it up to date. `locked`: the
   * row as already read with FOR UPDATE in this transaction by the caller (saves a round trip).
   */
  async function lockAndSync(tx: Runner, userId: string, locked?: LockedAccount): Promise<{ plan: Plan; period: string; balance: number; organizationId: string }> {
    // One round trip in the common case: the account row, locked, with the user's current plan.
    const lockAccount = () =>
      tx
        .select({ period: creditAccounts.period, plan: creditAccounts.plan, balance: creditAccounts.balance, userPlan: users.plan, organizationId: users.organizationId })
        .from(creditAccounts)
        .innerJoin(users, eq(users.id, creditAccounts.userId))
        .where(eq(creditAccounts.userId, userId))
        .for('update', { of: creditAccounts });
    let account = locked ?? (await lockAccount())[0];
    if (!account) {
      const [user] = await tx.select({ plan: users.plan, organizationId: users.organizationId }).from(users).where(eq(users.id, userId));
      if (!user) throw new AppError('NOT_FOUND', 'User not found.');
      // An empty period means "no period granted yet": the grant below is then written.
      await tx
        .insert(creditAccounts)
        .values({ userId, organizationId: user.organizationId, period: '', plan: user.plan, balance: 0 })
        .onConflictDoNothing();
      [account] = await lockAccount();
      if (!account) throw new AppError('INTERNAL', 'Credit account missing after upsert.');
    }
    const user = { plan: account.userPlan, organizationId: account.organizationId };

    const period = periodOf(now());
    const base = { organizationId: user.organizationId, userId, period, plan: user.plan };
    let balance = account.balance;
    if (account.period !== period) {
      // New month: the plan's quota, whatever was left last month (no rollover).
      balance = PLAN_QUOTAS[user.plan] ?? 0;
      await tx.insert(creditLedger).values({ ...base, id: randomUUID(), kind: 'grant', amount: balance, reason: `Monthly ${user.plan} credits` });
    } else if (account.plan !== user.plan) {
      // Plan change mid-month, effective at once: remaining = new quota − spends + adjustments
      // of this month. The difference is written as one plan_change entry.
      const [sums] = await tx
        .select({ total: sql<string>`coalesce(sum(${creditLedger.amount}), 0)` })
        .from(creditLedger)
        .where(and(eq(creditLedger.userId, userId), eq(creditLedger.period, period), inArray(creditLedger.kind, ['spend', 'refund', 'adjust'])));
      const target = (PLAN_QUOTAS[user.plan] ?? 0) + Number(sums?.total ?? 0);
      await tx.insert(creditLedger).values({
        ...base,
        id: randomUUID(),
        kind: 'plan_change',
        amount: target - balance,
        reason: `${account.plan} → ${user.plan}`,
      });
      balance = target;
    }
    if (account.period !== period || account.plan !== user.plan || account.balance !== balance) {
      await tx.update(creditAccounts).set({ period, plan: user.plan, balance, updatedAt: now() }).where(eq(creditAccounts.userId, userId));
    }
    return { plan: user.plan, period, balance, organizationId: user.organizationId };
  }

  async function activeHolds(tx: Runner, userId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<string>`count(*)` })
      .from(creditReservations)
      .where(and(eq(creditReservations.userId, userId), gt(creditReservations.expiresAt, now())));
    return Number(row?.n ?? 0);
  }

  const remainingOf = (plan: Plan, balance: number): number | null => (PLAN_QUOTAS[plan] === null ? null : Math.max(0, balance));

  return {
    /**
     * Holds one credit before an AI call, or throws NO_CREDITS. Holds count against the balance,
     * so with N credits left at most N sends can be in flight. Runs in the caller's transaction
     * (the hold commits with it). `locked`: the account row as the caller already read it with
     * FOR UPDATE in this transaction; when it is on this month and plan, the hold is a single
     * statement, otherwise the grant or plan change is written first (through the ORM).
     */
    async hold(tx: RawTx, userId: string, locked?: LockedAccount): Promise<Reservation> {
      const current = locked !== undefined && locked.period === periodOf(now()) && locked.plan === locked.userPlan;
      const state = current ? locked : await lockAndSync(tx.orm(), userId, locked);
      if (PLAN_QUOTAS[state.plan] === null) return { id: null, userId };
      const id = randomUUID();
      const at = now();
      const held = await tx.query(HOLD, {
        id,
        userId,
        at: at.toISOString(),
        expiresAt: new Date(at.getTime() + ttlMs).toISOString(),
        balance: state.balance,
      });
      if (held.length === 0) throw noCreditsError();
      return { id, userId };
    },

    /** `hold` in a transaction of its own. */
    reserve(userId: string): Promise<Reservation> {
      return database.raw.transaction((tx) => this.hold(tx, userId));
    },

    /** Drops a hold without charging (the AI call failed or the client went away). */
    async release(reservation: Reservation): Promise<void> {
      if (reservation.id === null) return;
      await db.delete(creditReservations).where(eq(creditReservations.id, reservation.id));
    },

    /**
     * The values of `spendCtes` (the fast path of turning a hold into a spend, embedded in the
     * statement that saves the reply). When its `account` CTE returns no row (new month or plan
     * change since the hold), call `chargeSlow` in the same transaction instead.
     */
    spendValues(reservation: Reservation, messageId: string): SpendValues {
      return {
        spendAt: now().toISOString(),
        spendUserId: reservation.userId,
        spendPeriod: periodOf(now()),
        spendReservationId: reservation.id,
        spendLedgerId: randomUUID(),
        spendMessageId: messageId,
      };
    },

    /** Credits left after a spend (null = unlimited). */
    remainingOf,

    /** The spend when `spendCtes` found the account out of date: grant or plan change first. */
    async chargeSlow(tx: Runner, reservation: Reservation, messageId: string): Promise<number | null> {
      const userId = reservation.userId;
      const synced = await lockAndSync(tx, userId);
      const state = { ...synced, balance: synced.balance - 1 };
      await tx.update(creditAccounts).set({ balance: state.balance, updatedAt: now() }).where(eq(creditAccounts.userId, userId));
      if (reservation.id !== null) await tx.delete(creditReservations).where(eq(creditReservations.id, reservation.id));
      await tx.insert(creditLedger).values({
        id: randomUUID(),
        organizationId: state.organizationId,
        userId,
        period: state.period,
        plan: state.plan,
        kind: 'spend',
        amount: -1,
        messageId,
        reason: 'Chat reply',
      });
      return remainingOf(state.plan, state.balance);
    },

    /** The user's current credits (writes the month's grant or a plan change if due). */
    async state(userId: string): Promise<CreditState> {
      return db.transaction(async (tx) => {
        const s = await lockAndSync(tx, userId);
        const reserved = await activeHolds(tx, userId);
        return { plan: s.plan, period: s.period, balance: s.balance, remaining: remainingOf(s.plan, s.balance), reserved };
      });
    },

    /** Ledger entries of a user, newest first. */
    async entries(userId: string, limit = 100): Promise<LedgerEntry[]> {
      const rows = await db
        .select()
        .from(creditLedger)
        .where(eq(creditLedger.userId, userId))
        .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
        .limit(limit);
      return rows.map(entryView);
    },

    /** An admin adjustment (or refund) of the current period; amount is signed. */
    async adjust(input: { userId: string; amount: number; reason: string; kind: 'adjust' | 'refund'; actorUserId: string | null }): Promise<{ entry: LedgerEntry; state: CreditState }> {
      return db.transaction(async (tx) => {
        const s = await lockAndSync(tx, input.userId);
        const [row] = await tx
          .insert(creditLedger)
          .values({
            id: randomUUID(),
            organizationId: s.organizationId,
            userId: input.userId,
            period: s.period,
            plan: s.plan,
            kind: input.kind,
            amount: input.amount,
            reason: input.reason,
            actorUserId: input.actorUserId,
          })
          .returning();
        const balance = s.balance + input.amount;
        await tx.update(creditAccounts).set({ balance, updatedAt: now() }).where(eq(creditAccounts.userId, input.userId));
        const reserved = await activeHolds(tx, input.userId);
        return { entry: entryView(row!), state: { plan: s.plan, period: s.period, balance, remaining: remainingOf(s.plan, balance), reserved } };
      });
    },
  };
}

export type CreditLedger = ReturnType<typeof createCreditLedger>;
export type CreditTx = Tx;
