import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { ConversationKind } from '../../shared/conversations.js';
import { conversationItems, conversations } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertVisible, visibleTo } from '../../platform/scope.js';

export type { ConversationKind };
export type ConversationRow = typeof conversations.$inferSelect;

export interface TranscriptItem {
  itemId: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  type?: 'message' | 'function_call' | 'function_call_output';
  text: string;
  startMs: number;
  endMs: number;
  status?: 'completed' | 'incomplete';
}

const owned = { organizationId: conversations.organizationId, ownerId: conversations.userId };

export const conversationView = (c: ConversationRow) => ({
  id: c.id,
  userId: c.userId,
  kind: c.kind,
  status: c.status,
  title: c.title,
  provider: c.provider,
  model: c.model,
  startedAt: c.startedAt.toISOString(),
  endedAt: c.endedAt?.toISOString() ?? null,
});

const itemView = (i: typeof conversationItems.$inferSelect) => ({
  itemId: i.itemId,
  role: i.role,
  type: i.type,
  text: i.text,
  startMs: i.startMs,
  endMs: i.endMs,
  status: i.status,
});

/** Cursor = "<startedAt ISO>|<id>" of the last row of the previous page (stable ordering). */
const encodeCursor = (c: ConversationRow) => Buffer.from(`${c.startedAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const startedAt = new Date(iso ?? '');
  // Exactly as encodeCursor writes it: a year such as 275760 or -1 is a valid Date that PostgreSQL refuses (a 500).
  if (!id || Number.isNaN(startedAt.getTime()) || startedAt.toISOString() !== iso || !/^\d{4}-/.test(iso)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid cursor', { field: 'cursor' });
  }
  return { startedAt, id };
}

/**
 * Conversations and their transcripts. Items are saved as each turn completes, idempotently by
 * item id (a client may retry), and read back ordered by when each turn started.
 */
export function createConversationStore(db: Db, now: () => Date = () => new Date()) {
  async function requireActive(id: string): Promise<ConversationRow> {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
    if (!row) throw new AppError('NOT_FOUND', 'Conversation not found.');
    if (row.status !== 'active') throw new AppError('CONFLICT', `The conversation is ${row.status}; it takes no more items.`);
    return row;
  }

  return {
    /** `id`: when the caller already has a unique id for it (the realtime session id). */
    async start(input: { id?: string; organizationId: string; userId: string; kind: ConversationKind; title: string; provider?: string; model?: string }) {
      const [row] = await db
        .insert(conversations)
        .values({ ...input, id: input.id ?? randomUUID(), provider: input.provider ?? null, model: input.model ?? null, startedAt: now() })
        .returning();
      return row!;
    },

    /** Saves one completed turn, idempotently by item id. Returns whether anything was written. */
    async saveItem(conversationId: string, item: TranscriptItem): Promise<boolean> {
      await requireActive(conversationId);
      if (item.endMs < item.startMs) throw new AppError('VALIDATION_FAILED', 'Invalid endMs: must not be before startMs', { field: 'endMs' });
      // Saving an id again is a no-op (retries), except to cut the item shorter: a reply
      // interrupted after it completed keeps only what was actually played.
      const written = await db
        .insert(conversationItems)
        .values({ conversationId, ...item, type: item.type ?? 'message', status: item.status ?? 'completed' })
        .onConflictDoUpdate({
          target: [conversationItems.conversationId, conversationItems.itemId],
          set: { text: sql`excluded.text`, endMs: sql`excluded.end_ms`, status: sql`excluded.status` },
          setWhere: sql`excluded.status = 'incomplete' and ${conversationItems.status} = 'completed' and length(excluded.text) < length(${conversationItems.text}) and left(${conversationItems.text}, length(excluded.text)) = excluded.text`,
        })
        .returning({ itemId: conversationItems.itemId });
      return written.length > 0;
    },

    /** Ends an active conversation (completed, or interrupted when the connection was lost). */
    async end(conversationId: string, status: 'completed' | 'interrupted') {
      const [row] = await db
        .update(conversations)
        .set({ status, endedAt: now() })
        .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'active')))
        .returning();
      if (row) return row;
      const [existing] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
      if (!existing) throw new AppError('NOT_FOUND', 'Conversation not found.');
      return existing; // already ended: ending again is a no-op
    },

    /** The actor's conversation, checked (404 other organization, 403 another user's). */
    async getVisible(actor: Actor, id: string): Promise<ConversationRow> {
      const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.organizationId, actor.organizationId)));
      return assertVisible(actor, row, (c) => c.userId, 'Conversation');
    },

    async transcript(actor: Actor, id: string) {
      const conversation = await this.getVisible(actor, id);
      return { conversation: conversationView(conversation), items: await this.items(id) };
    },

    /** A conversation by id, unscoped: for background work that already checked who may see it. */
    async find(id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row;
    },

    /** A conversation's items ordered by when each turn started, unscoped (see `find`). */
    async items(id: string): Promise<Required<TranscriptItem>[]> {
      const items = await db
        .select()
        .from(conversationItems)
        .where(eq(conversationItems.conversationId, id))
        .orderBy(asc(conversationItems.startMs), asc(conversationItems.createdAt), asc(conversationItems.itemId));
      return items.map(itemView);
    },

    async list(actor: Actor, options: { kind?: ConversationKind; limit: number; cursor?: string }) {
      const conditions: (SQL | undefined)[] = [options.kind ? eq(conversations.kind, options.kind) : undefined];
      if (options.cursor) {
        const c = decodeCursor(options.cursor);
        conditions.push(or(lt(conversations.startedAt, c.startedAt), and(eq(conversations.startedAt, c.startedAt), lt(conversations.id, c.id))));
      }
      const rows = await db
        .select()
        .from(conversations)
        .where(visibleTo(actor, owned, ...conditions))
        .orderBy(desc(conversations.startedAt), desc(conversations.id))
        .limit(options.limit + 1);
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      return { conversations: page.map(conversationView), nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
    },
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
