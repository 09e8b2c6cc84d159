import { defineStatement, type RawSql, type Statement } from '../../db/raw.js';
import type { Locale } from '../../shared/accounts.js';
import { AppError } from '../../platform/errors.js';
import type { ChatRole } from '../../shared/api/chat.js';

/**
 * The SQL of a chat send's hot path, on chat tables only (the credits are the ledger's:
 * credit-ledger.ts). Each statement here replaces two or three query-builder statements, and
 * runs on the driver as a named prepared statement (src/db/raw.ts): under load a send is
 * CPU-bound (round trips, query building, planning; see docs/benchmarks.md). Everything else
 * in the chat feature uses the query builder.
 */

export interface SendContext {
  locale: Locale;
  coachPrompt: string | null;
  /** Oldest first; empty for a new session. */
  history: { role: ChatRole; content: string }[];
}

interface ContextRow {
  locale: Locale;
  coach_prompt: string | null;
  session_user_id: string | null;
  turns: { role: ChatRole; content: string }[] | null;
}

const CONTEXT = defineStatement(
  'chat_send_context',
  (p) => `
    select u.locale, cs.coach_prompt, s.user_id as session_user_id,
      (select json_agg(json_build_object('role', t.role, 'content', t.content) order by t.seq)
         from (select m.role, m.content, m.seq from chat_message m
               where m.session_id = s.id and s.user_id = u.id
               order by m.seq desc limit ${p('historyLimit')}) t) as turns
    from "user" u
    left join chat_settings cs on cs.organization_id = u.organization_id
    left join chat_session s on s.id = ${p('sessionId')} and s.organization_id = ${p('organizationId')}
    where u.id = ${p('userId')}`,
);

/**
 * One round trip: the user's language, the organization's coach prompt, the session (checked:
 * 404 when missing or in another organization, 403 when another user's) and its last
 * `historyLimit` turns. A forbidden session's messages are never read.
 */
export async function loadSendContext(
  tx: RawSql,
  input: { organizationId: string; userId: string; sessionId: string | null; historyLimit: number },
): Promise<SendContext> {
  const { organizationId, userId, sessionId, historyLimit } = input;
  const values = { historyLimit, sessionId, organizationId, userId };
  const [row] = await tx.query<ContextRow>(CONTEXT, values);
  if (!row) throw new AppError('NOT_FOUND', 'User not found.');
  if (sessionId !== null) {
    if (row.session_user_id === null) throw new AppError('NOT_FOUND', 'Chat session not found.');
    if (row.session_user_id !== userId) throw new AppError('FORBIDDEN', 'This chat session belongs to another user.');
  }
  return { locale: row.locale, coachPrompt: row.coach_prompt, history: row.turns ?? [] };
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

/** The append statement for `count` messages (1 or 2). */
const appendStatement = (count: number): Statement =>
  defineStatement(
    `chat_send_append_${count}`,
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
      select min(seq) as first_seq from inserted`,
  );
const APPEND = new Map([1, 2].map((count) => [count, appendStatement(count)] as const));

/**
 * One round trip: appends messages (1 or 2) to an existing session and updates its counters.
 * The UPDATE locks the session row, so concurrent sends into one session get consecutive
 * `seq`. `firstSeq` is null when the session no longer exists.
 */
export async function appendToSession(
  tx: RawSql,
  input: { sessionId: string; organizationId: string; userId: string; lastMessage: string; updatedAt: Date; messages: NewMessage[] },
): Promise<{ firstSeq: number | null }> {
  const statement = APPEND.get(input.messages.length);
  if (!statement) throw new Error(`appendToSession: ${input.messages.length} messages`);
  const values: Record<string, unknown> = {
    sessionId: input.sessionId,
    organizationId: input.organizationId,
    userId: input.userId,
    lastMessage: input.lastMessage,
    updatedAt: input.updatedAt.toISOString(),
  };
  input.messages.forEach((m, i) => {
    values[`id${i}`] = m.id;
    values[`role${i}`] = m.role;
    values[`content${i}`] = m.content;
    values[`status${i}`] = m.status;
    values[`createdAt${i}`] = m.createdAt.toISOString();
  });
  const [row] = await tx.query<{ first_seq: number | null }>(statement, values);
  const firstSeq = row?.first_seq ?? null;
  return { firstSeq: firstSeq === null ? null : Number(firstSeq) };
}
