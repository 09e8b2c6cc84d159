import { defineStatement, type RawSql, type Statement } from '../../db/raw.js';
import type { Locale, Plan } from '../../shared/accounts.js';
import { AppError } from '../../platform/errors.js';
import { spendCtes, type LockedAccount, type SpendValues } from './credit-ledger.js';
import type { ChatRole } from '../../shared/api/chat.js';

/**
 * The SQL of a chat send's hot path. Each statement here replaces two or three query-builder
 * statements, and runs on the driver as a named prepared statement (src/db/raw.ts): under load
 * a send is CPU-bound (round trips, query building, planning; see docs/benchmarks.md).
 * Everything else in the chat feature uses the query builder.
 */

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

const contextStatement = (withAccount: boolean): Statement =>
  defineStatement(
    withAccount ? 'chat_send_context_locked' : 'chat_send_context',
    (p) => `
      select u.locale, cs.coach_prompt, s.user_id as session_user_id,
        (select json_agg(json_build_object('role', t.role, 'content', t.content) order by t.seq)
           from (select m.role, m.content, m.seq from chat_message m
                 where m.session_id = s.id and s.user_id = u.id
                 order by m.seq desc limit ${p('historyLimit')}) t) as turns
        ${withAccount ? ', a.period, a.plan, a.balance, u.plan as user_plan, u.organization_id' : ''}
      from "user" u
      ${withAccount ? 'join credit_account a on a.user_id = u.id' : ''}
      left join chat_settings cs on cs.organization_id = u.organization_id
      left join chat_session s on s.id = ${p('sessionId')} and s.organization_id = ${p('organizationId')}
      where u.id = ${p('userId')}
      ${withAccount ? 'for update of a' : ''}`,
  );
const CONTEXT_LOCKED = contextStatement(true);
const CONTEXT = contextStatement(false);

/**
 * One round trip: the user's language, the organization's coach prompt, the session (checked:
 * 404 when missing or in another organization, 403 when another user's), its last
 * `historyLimit` turns, and the user's credit account locked for the credit hold that follows.
 * A forbidden session's messages are never read. A user without a credit account yet (first
 * send) costs a second, lock-free read; the ledger then creates the account.
 */
export async function loadSendContext(
  tx: RawSql,
  input: { organizationId: string; userId: string; sessionId: string | null; historyLimit: number },
): Promise<SendContext> {
  const { organizationId, userId, sessionId, historyLimit } = input;
  const values = { historyLimit, sessionId, organizationId, userId };
  const row = (await tx.query<ContextRow>(CONTEXT_LOCKED, values))[0] ?? (await tx.query<ContextRow>(CONTEXT, values))[0];
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

const CREATE_SESSION = defineStatement(
  'chat_send_create_session',
  (p) => `
    insert into chat_session (id, organization_id, user_id, title, last_message, message_count, created_at, updated_at)
    values (${p('id')}, ${p('organizationId')}, ${p('userId')}, ${p('title')}, ${p('lastMessage')}, 0, ${p('createdAt')}::timestamptz, ${p('updatedAt')}::timestamptz)`,
);

/** A new, empty session (the first send's messages are then appended to it). */
export async function createSession(
  tx: RawSql,
  input: { id: string; organizationId: string; userId: string; title: string; lastMessage: string; createdAt: Date; updatedAt: Date },
): Promise<void> {
  await tx.query(CREATE_SESSION, { ...input, createdAt: input.createdAt.toISOString(), updatedAt: input.updatedAt.toISOString() });
}

export interface NewMessage {
  id: string;
  role: ChatRole;
  content: string;
  status: 'complete' | 'incomplete';
  createdAt: Date;
}

/** The append statement for `count` messages (1 or 2), with or without the credit spend. */
const appendStatement = (count: number, spend: boolean): Statement =>
  defineStatement(
    `chat_send_append_${count}${spend ? '_spend' : ''}`,
    (p) => `
      with s as (
        update chat_session set message_count = message_count + ${count}, last_message = ${p('lastMessage')},
          updated_at = ${p('updatedAt')}::timestamptz
        where id = ${p('sessionId')}
        returning message_count - ${count} as first_seq),
      inserted as (
        insert into chat_message (id, session_id, organization_id, user_id, role, content, status, seq, created_at)
        select v.id, ${p('sessionId')}, ${p('organizationId')}, ${p('userId')}, v.role, v.content, v.status, s.first_seq + v.off, v.created_at
        from s, (values ${Array.from({ length: count }, (_, i) => `(${p(`id${i}`)}, ${p(`role${i}`)}, ${p(`content${i}`)}, ${p(`status${i}`)}, ${i}, ${p(`createdAt${i}`)}::timestamptz)`).join(', ')})
          as v(id, role, content, status, off, created_at)
        returning seq)
      ${spend ? `, ${spendCtes(p)}` : ''}
      select (select min(seq) from inserted) as first_seq,
        ${spend ? '(select balance from account) as balance, (select plan from account) as plan' : 'null as balance, null as plan'}`,
  );
const APPEND = new Map([1, 2].flatMap((count) => [false, true].map((spend) => [`${count}:${spend}`, appendStatement(count, spend)] as const)));

/**
 * One round trip: appends messages (1 or 2) to an existing session, updates its counters and,
 * given `spend` (from the ledger's spendValues), charges the reply's credit in the same
 * statement. The UPDATE locks the session row, so concurrent sends into one session get
 * consecutive `seq`. `firstSeq` is null when the session no longer exists; `account` is null
 * when there was no spend or the ledger's fast path did not apply (then charge with `chargeSlow`).
 */
export async function appendToSession(
  tx: RawSql,
  input: { sessionId: string; organizationId: string; userId: string; lastMessage: string; updatedAt: Date; messages: NewMessage[]; spend: SpendValues | null },
): Promise<{ firstSeq: number | null; account: { balance: number; plan: Plan } | null }> {
  const statement = APPEND.get(`${input.messages.length}:${input.spend !== null}`);
  if (!statement) throw new Error(`appendToSession: ${input.messages.length} messages`);
  const values: Record<string, unknown> = {
    sessionId: input.sessionId,
    organizationId: input.organizationId,
    userId: input.userId,
    lastMessage: input.lastMessage,
    updatedAt: input.updatedAt.toISOString(),
    ...input.spend,
  };
  input.messages.forEach((m, i) => {
    values[`id${i}`] = m.id;
    values[`role${i}`] = m.role;
    values[`content${i}`] = m.content;
    values[`status${i}`] = m.status;
    values[`createdAt${i}`] = m.createdAt.toISOString();
  });
  const [row] = await tx.query<{ first_seq: number | null; balance: number | null; plan: Plan | null }>(statement, values);
  const firstSeq = row?.first_seq ?? null;
  return {
    firstSeq: firstSeq === null ? null : Number(firstSeq),
    account: row?.plan ? { balance: Number(row.balance), plan: row.plan } : null,
  };
}
