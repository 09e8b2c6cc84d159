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
interface LockedAccount {
  period: string;
  plan: Plan;
  balance: number;
  userPlan: Plan;
  organizationId: string;
}

/** A credit held for one send (`holdIn`), then spent (`spendIn`) or released. `id` is null for unlimited plans (nothing to hold). */
export interface CreditHold {
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

/*
 * The ledger's hot path (every chat send): two statements written by hand and run on the
 * driver as named prepared statements (src/db/raw.ts, ADR 0010) — the hold (one call of the
 * `credit_hold` function, migration 0008: lock, check, hold in one autocommit round trip) and
 * the spend. The rare branches (the first operation of a user, a new month's grant, a plan
 * change) run the ORM code below in a transaction of their own, or on the caller's.
 */

/** The hold in one round trip: 'held', 'none' (no credit free), 'unlimited', or 'stale' (slow path). */
const HOLD_FAST = defineStatement(
  'credit_hold_fast',
  (p) => `select credit_hold(${p('userId')}, ${p('id')}, ${p('period')}, ${p('at')}::timestamptz, ${p('expiresAt')}::timestamptz, ${p('unlimited')}) as result`,
);
const UNLIMITED_PLANS = (Object.keys(PLAN_QUOTAS) as Plan[]).filter((plan) => PLAN_QUOTAS[plan] === null).join(',');

/**
 * The slow path's hold, after the account row is locked and synced in its transaction (so the
 * statement's snapshot sees every committed hold): drops expired holds, and inserts ours only
 * if the active ones leave a credit free.
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

/**
 * A hold turned into a spend, in one statement: when the account is on this period and plan,
 * `account` decrements it (the UPDATE locks the row) and returns the balance, `released` drops
 * the hold and `spent` appends the ledger entry. No row: the period or plan changed since the
 * hold — the slow path charges instead (grant or plan change first).
 */
const SPEND = defineStatement(
  'credit_spend',
  (p) => `
    with account as (
      update credit_account a set balance = a.balance - 1, updated_at = ${p('at')}::timestamptz
      from "user" u
      where a.user_id = ${p('userId')} and u.id = a.user_id and a.period = ${p('period')} and a.plan = u.plan
      returning a.balance, a.plan, a.organization_id),
    released as (delete from credit_reservation where id = ${p('holdId')}),
    spent as (
      insert into credit_ledger (id, organization_id, user_id, period, plan, kind, amount, message_id, reason)
      select ${p('ledgerId')}, organization_id, ${p('userId')}, ${p('period')}, plan, 'spend', -1, ${p('messageId')}, 'Chat reply' from account)
    select balance, plan from account`,
);

/**
 * Chat credits as an append-only ledger (ADR 0005). Every operation runs in a transaction that
 * first locks the user's `credit_account` row (SELECT … FOR UPDATE), so concurrent sends of one
 * user are serialised on PostgreSQL (PGlite runs one transaction at a time anyway). Inside the
 * lock, the monthly grant and plan changes are written lazily, then the operation itself.
 */
export function createCreditLedger(database: { db: Db }, options: CreditLedgerOptions = {}) {
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

  /** The spend when the account was out of date (new month, plan change): grant or plan change first. */
  async function chargeSlow(tx: Runner, hold: CreditHold, messageId: string): Promise<number | null> {
    const userId = hold.userId;
    const synced = await lockAndSync(tx, userId);
    const state = { ...synced, balance: synced.balance - 1 };
    await tx.update(creditAccounts).set({ balance: state.balance, updatedAt: now() }).where(eq(creditAccounts.userId, userId));
    if (hold.id !== null) await tx.delete(creditReservations).where(eq(creditReservations.id, hold.id));
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
  }

  return {
    /**
     * Holds one credit before an AI call, or throws NO_CREDITS. Holds count against the
     * balance, so with N credits left at most N sends are in flight. Fast path: one prepared
     * statement (`credit_hold`, which locks the account, checks it and holds), committed on its
     * own. A user's first operation, a new month or a plan change runs the slow path: a
     * transaction that locks the account, writes the account, grant or plan change (ORM), then
     * holds.
     */
    async holdIn(db: RawDb, userId: string): Promise<CreditHold> {
      const id = randomUUID();
      const at = now();
      const values = { id, userId, at: at.toISOString(), expiresAt: new Date(at.getTime() + ttlMs).toISOString() };
      const [fast] = await db.query<{ result: 'held' | 'none' | 'unlimited' | 'stale' }>(HOLD_FAST, { ...values, period: periodOf(at), unlimited: UNLIMITED_PLANS });
      const result = fast?.result ?? 'stale';
      if (result === 'held') return { id, userId };
      if (result === 'unlimited') return { id: null, userId };
      if (result === 'none') throw noCreditsError();
      return db.transaction(async (tx) => {
        const state = await lockAndSync(tx.orm(), userId);
        if (PLAN_QUOTAS[state.plan] === null) return { id: null, userId };
        const held = await tx.query(HOLD, { ...values, balance: state.balance });
        if (held.length === 0) throw noCreditsError();
        return { id, userId };
      });
    },

    /**
     * Spends a held credit for the reply `messageId`, in the caller's transaction (the one that
     * saves the reply): one prepared statement, or — when the month or the plan changed since
     * the hold — the slow path (grant or plan change first). Returns the credits left (null =
     * unlimited).
     */
    async spendIn(tx: RawTx, hold: CreditHold, messageId: string): Promise<number | null> {
      const at = now();
      const [spent] = await tx.query<{ balance: number; plan: Plan }>(SPEND, {
        at: at.toISOString(),
        userId: hold.userId,
        period: periodOf(at),
        holdId: hold.id,
        ledgerId: randomUUID(),
        messageId,
      });
      if (spent) return remainingOf(spent.plan, Number(spent.balance));
      return chargeSlow(tx.orm(), hold, messageId);
    },

    /** Drops a hold without charging (the AI call failed, or the client went away before the reply started). */
    async release(hold: CreditHold): Promise<void> {
      if (hold.id === null) return;
      await db.delete(creditReservations).where(eq(creditReservations.id, hold.id));
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
