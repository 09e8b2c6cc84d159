import { TITLE_MAX } from '../../shared/api/chat.js';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatMessages, chatSessions } from './tables.js';
import { type ChatMessageStatus, type ChatRole } from '../../shared/api/chat.js';
import { type Locale } from '../../shared/accounts.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertVisible } from '../../platform/scope.js';

export type ChatSessionRow = typeof chatSessions.$inferSelect;
export type ChatMessageRow = typeof chatMessages.$inferSelect;

export const DEFAULT_TITLES: Record<Locale, string> = { fr: 'Nouvelle conversation', en: 'New conversation' };
/** The denormalised last message kept on a session (enough for listings and previews). */
const LAST_MESSAGE_MAX = 200;
const PREVIEW_MAX = 120;

export interface ChatSessionView {
  id: string;
  title: string;
  lastMessage: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ChatMessageView {
  id: string;
  sessionId: string;
  role: ChatRole;
  content: string;
  /** `incomplete`: the reply was cut short because the client disconnected (not charged). */
  status: ChatMessageStatus;
  createdAt: string;
}

export interface HistoryItem {
  id: string;
  title: string;
  preview: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export const sessionView = (row: ChatSessionRow): ChatSessionView => ({
  id: row.id,
  title: row.title,
  lastMessage: row.lastMessage,
  messageCount: row.messageCount,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const messageView = (row: ChatMessageRow): ChatMessageView => ({
  id: row.id,
  sessionId: row.sessionId,
  role: row.role,
  content: row.content,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
export const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
export const lastMessageOf = (content: string) => truncate(oneLine(content), LAST_MESSAGE_MAX);
/** A session titled from its first message. */
export const titleFrom = (message: string, locale: Locale) => truncate(oneLine(message), 60) || DEFAULT_TITLES[locale];

/** Opaque keyset cursor over (updated_at, id), newest first. */
export function encodeCursor(row: { updatedAt: Date; id: string }): string {
  return Buffer.from(`${row.updatedAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

/** The instant exactly as encodeCursor writes it: Date.parse also takes "0" or "-000001-01-01", which PostgreSQL refuses (a 500). */
function isCursorInstant(text: string): boolean {
  const date = new Date(text);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString() === text;
}

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const updatedAt = text.slice(0, bar);
  if (bar < 0 || !isCursorInstant(updatedAt) || text.length - bar < 2) {
    throw new AppError('VALIDATION_FAILED', 'Invalid cursor: use the nextCursor of a previous response', { field: 'cursor' });
  }
  return { updatedAt, id: text.slice(bar + 1) };
}

/** Escapes LIKE wildcards so a search is a plain substring match. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createChatSessions(db: Db) {
  /** One page of a user's sessions, newest first (index chat_session_user_updated_idx). */
  async function page(userId: string, options: { limit: number; cursor?: string | undefined; search?: string | undefined }) {
    const conditions: (SQL | undefined)[] = [eq(chatSessions.userId, userId)];
    if (options.cursor) {
      const c = decodeCursor(options.cursor);
      conditions.push(sql`(${chatSessions.updatedAt}, ${chatSessions.id}) < (${c.updatedAt}::timestamptz, ${c.id})`);
    }
    if (options.search) conditions.push(ilike(chatSessions.title, likePattern(options.search)));
    const rows = await db
      .select()
      .from(chatSessions)
      .where(and(...conditions))
      .orderBy(desc(chatSessions.updatedAt), desc(chatSessions.id))
      .limit(options.limit + 1);
    const more = rows.length > options.limit;
    const items = more ? rows.slice(0, options.limit) : rows;
    return { rows: items, nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
  }

  /** A user's number of sessions and messages (from the denormalised counts: no message scan). */
  async function totals(userId: string): Promise<{ totalSessions: number; totalMessages: number }> {
    const [row] = await db
      .select({ sessions: sql<string>`count(*)`, messages: sql<string>`coalesce(sum(${chatSessions.messageCount}), 0)` })
      .from(chatSessions)
      .where(eq(chatSessions.userId, userId));
    return { totalSessions: Number(row?.sessions ?? 0), totalMessages: Number(row?.messages ?? 0) };
  }

  /** A session of the actor's organization, visible to the actor (404 other org / missing, 403 another user's). */
  async function visible(actor: Actor, sessionId: string): Promise<ChatSessionRow> {
    const [row] = await db
      .select()
      .from(chatSessions)
      .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.organizationId, actor.organizationId)));
    return assertVisible(actor, row, (s) => s.userId, 'Chat session');
  }

  return {
    async list(userId: string, options: { limit: number; cursor?: string | undefined; search?: string | undefined }) {
      const { rows, nextCursor } = await page(userId, options);
      return { sessions: rows.map(sessionView), nextCursor };
    },

    async create(input: { organizationId: string; userId: string; title?: string | undefined; locale: Locale }): Promise<ChatSessionView> {
      const at = new Date();
      const title = input.title?.trim() ? truncate(oneLine(input.title), TITLE_MAX) : DEFAULT_TITLES[input.locale];
      const [row] = await db
        .insert(chatSessions)
        .values({ id: randomUUID(), organizationId: input.organizationId, userId: input.userId, title, createdAt: at, updatedAt: at })
        .returning();
      return sessionView(row!);
    },

    async get(actor: Actor, sessionId: string): Promise<{ session: ChatSessionView; messages: ChatMessageView[] }> {
      const session = await visible(actor, sessionId);
      const rows = await db.select().from(chatMessages).where(eq(chatMessages.sessionId, session.id)).orderBy(asc(chatMessages.seq));
      return { session: sessionView(session), messages: rows.map(messageView) };
    },

    async rename(actor: Actor, sessionId: string, title: string): Promise<ChatSessionView> {
      const session = await visible(actor, sessionId);
      // Renaming does not move the session in the "recent" order: updatedAt is left alone.
      const [row] = await db
        .update(chatSessions)
        .set({ title: truncate(oneLine(title), TITLE_MAX) })
        .where(eq(chatSessions.id, session.id))
        .returning();
      if (!row) throw new AppError('NOT_FOUND', 'Chat session not found.');
      return sessionView(row);
    },

    async remove(actor: Actor, sessionId: string): Promise<void> {
      const session = await visible(actor, sessionId);
      // Messages go with it (ON DELETE CASCADE).
      await db.delete(chatSessions).where(eq(chatSessions.id, session.id));
    },

    totals,

    async history(userId: string, options: { limit: number; cursor?: string | undefined }) {
      const [{ rows, nextCursor }, stats] = await Promise.all([page(userId, options), totals(userId)]);
      const history: HistoryItem[] = rows.map((row) => ({
        id: row.id,
        title: row.title,
        preview: truncate(row.lastMessage ?? '', PREVIEW_MAX),
        messageCount: row.messageCount,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      }));
      return { history, stats, nextCursor };
    },
  };
}

export type ChatSessions = ReturnType<typeof createChatSessions>;
