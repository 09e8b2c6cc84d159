import { sql, type SQL } from 'drizzle-orm';
import type { Locale, Plan } from '../../db/schema.js';
import { executePrepared, type SessionRunner } from '../../db/prepared.js';
import { AppError } from '../../platform/errors.js';
import type { LockedAccount } from './credit-ledger.js';
import type { ChatRole } from './tables.js';

/**
 * The SQL of a chat send's hot path. Each statement here replaces two or three query-builder
 * statements: under load a send is CPU-bound in Node (driver round trips and query building,
 * see docs/benchmarks.md), so the send path uses fewer, hand-written statements. Everything
 * else in the chat feature uses the query builder.
 */

/** The database or a transaction. */
type Runner = SessionRunner;

export interface SendContext {
  locale: Locale;
  coachPrompt: string | null;
  /** Oldest first; empty for a new session. */
  history: { role: ChatRole; content: string }[];
  /** The user's credit account, locked (FOR UPDATE); undefined when the user has none yet. */
  account: LockedAccount | undefined;
}

interface ContextRow {
  locale: Locale;
  coach_prompt: string | null;
  session_user_id: string | null;
  turns: { role: ChatRole; content: string }[] | null;
  period?: string;
  plan?: Plan;
  balance?: number;
  user_plan?: Plan;
  organization_id?: string;
}

/**
 * One round trip: the user's language, the organization's coach prompt, the session (checked:
 * 404 when missing or in another organization, 403 when another user's), its last
 * `historyLimit` turns, and the user's credit account locked for the credit hold that follows.
 * A forbidden session's messages are never read. A user without a credit account yet (first
 * send) costs a second, lock-free read; the ledger then creates the account.
 */
export async function loadSendContext(
  tx: Runner,
  input: { organizationId: string; userId: string; sessionId: string | null; historyLimit: number },
): Promise<SendContext> {
  const { organizationId, userId, sessionId, historyLimit } = input;
  const query = (withAccount: boolean) => sql`
      select u.locale, cs.coach_prompt, s.user_id as session_user_id,
        (select json_agg(json_build_object('role', t.role, 'content', t.content) order by t.seq)
           from (select m.role, m.content, m.seq from chat_message m
                 where m.session_id = s.id and s.user_id = u.id
                 order by m.seq desc limit ${historyLimit}) t) as turns
        ${withAccount ? sql`, a.period, a.plan, a.balance, u.plan as user_plan, u.organization_id` : sql``}
      from "user" u
      ${withAccount ? sql`join credit_account a on a.user_id = u.id` : sql``}
      left join chat_settings cs on cs.organization_id = u.organization_id
      left join chat_session s on s.id = ${sessionId} and s.organization_id = ${organizationId}
      where u.id = ${userId}
      ${withAccount ? sql`for update of a` : sql``}`;
  const row = (await executePrepared<ContextRow>(tx, 'chat_context', query(true)))[0] ?? (await executePrepared<ContextRow>(tx, 'chat_context', query(false)))[0];
  if (!row) throw new AppError('NOT_FOUND', 'User not found.');
  if (sessionId !== null) {
    if (row.session_user_id === null) throw new AppError('NOT_FOUND', 'Chat session not found.');
    if (row.session_user_id !== userId) throw new AppError('FORBIDDEN', 'This chat session belongs to another user.');
  }
  const account =
    row.period !== undefined
      ? { period: row.period, plan: row.plan!, balance: Number(row.balance), userPlan: row.user_plan!, organizationId: row.organization_id! }
      : undefined;
  return { locale: row.locale, coachPrompt: row.coach_prompt, history: row.turns ?? [], account };
}

export interface NewMessage {
  id: string;
  role: ChatRole;
  content: string;
  status: 'complete' | 'incomplete';
  createdAt: Date;
}

/**
 * One round trip: appends messages to an existing session, updates its counters and, given
 * `spend` (the ledger's spendCtes), charges the reply's credit in the same statement. The
 * UPDATE locks the session row, so concurrent sends into one session get consecutive `seq`.
 * `firstSeq` is null when the session no longer exists; `account` is null when there was no
 * spend or the ledger's fast path did not apply (then charge with `chargeSlow`).
 */
export async function appendToSession(
  tx: Runner,
  input: { sessionId: string; organizationId: string; userId: string; lastMessage: string; updatedAt: Date; messages: NewMessage[]; spend: SQL | null },
): Promise<{ firstSeq: number | null; account: { balance: number; plan: Plan } | null }> {
  const count = input.messages.length;
  const values = sql.join(
    input.messages.map((m, i) => sql`(${m.id}, ${m.role}, ${m.content}, ${m.status}, ${i}::int, ${m.createdAt.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const [row] = await executePrepared<{ first_seq: number | null; balance: number | null; plan: Plan | null }>(
    tx,
    'chat_append',
    sql`
      with s as (
        update chat_session set message_count = message_count + ${count}::int, last_message = ${input.lastMessage},
          updated_at = ${input.updatedAt.toISOString()}::timestamptz
        where id = ${input.sessionId}
        returning message_count - ${count}::int as first_seq),
      inserted as (
        insert into chat_message (id, session_id, organization_id, user_id, role, content, status, seq, created_at)
        select v.id, ${input.sessionId}, ${input.organizationId}, ${input.userId}, v.role, v.content, v.status, s.first_seq + v.off, v.created_at
        from s, (values ${values}) as v(id, role, content, status, off, created_at)
        returning seq)
      ${input.spend ? sql`, ${input.spend}` : sql``}
      select (select min(seq) from inserted) as first_seq,
        ${input.spend ? sql`(select balance from account) as balance, (select plan from account) as plan` : sql`null as balance, null as plan`}`,
  );
  const firstSeq = row?.first_seq ?? null;
  return {
    firstSeq: firstSeq === null ? null : Number(firstSeq),
    account: row?.plan ? { balance: Number(row.balance), plan: row.plan } : null,
  };
}
