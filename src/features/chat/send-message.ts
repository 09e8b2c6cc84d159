import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatMessages, chatSessions, chatSettings, users, type Locale } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { LlmService } from '../../providers/llm/index.js';
import { lastMessageOf, messageView, titleFrom, type ChatMessageView, type ChatSessions } from './chat-sessions.js';
import { coachInstructions } from './coach-prompt.js';
import { fitContext } from './context-window.js';
import type { CreditLedger, Reservation } from './credit-ledger.js';

/** Most stored turns read for the context window (the token budget usually keeps fewer). */
const HISTORY_READ_LIMIT = 60;
/** Max output tokens of a coach reply. */
const REPLY_MAX_TOKENS = 600;

export interface SendInput {
  organizationId: string;
  userId: string;
  sessionId?: string | undefined;
  message: string;
}

export interface SendResult {
  sessionId: string;
  userMessage: ChatMessageView;
  assistantMessage: ChatMessageView;
  /** null when the plan is unlimited. */
  remainingCredits: number | null;
}

/** A send that passed every check and holds a credit; `run` it or `cancel` it. */
export interface PreparedSend {
  run(options?: { signal?: AbortSignal; onDelta?: (delta: string) => void }): Promise<SendResult>;
  cancel(): Promise<void>;
}

export interface SendMessageDeps {
  db: Db;
  llm: LlmService;
  credits: CreditLedger;
  sessions: ChatSessions;
  contextBudgetTokens: number;
}

/**
 * One chat turn: checks (session ownership, credits) → AI reply → save both messages and
 * charge one credit in one transaction. A failed AI call saves and charges nothing. When the
 * caller aborts (client gone), the call is aborted, the partial reply is saved marked
 * `incomplete`, and nothing is charged.
 */
export function createSendMessage(deps: SendMessageDeps) {
  const { db, llm, credits, sessions } = deps;

  async function prepare(input: SendInput): Promise<PreparedSend> {
    // One connection for all the checks and reads (a pool under load is the bottleneck): the
    // user's language and coach prompt, the session, the credit hold, the recent turns.
    const { locale, coachPrompt, session, reservation, history } = await db.transaction(async (tx) => {
      const [user] = await tx
        .select({ locale: users.locale, coachPrompt: chatSettings.coachPrompt })
        .from(users)
        .leftJoin(chatSettings, eq(chatSettings.organizationId, users.organizationId))
        .where(eq(users.id, input.userId));
      if (!user) throw new AppError('NOT_FOUND', 'User not found.');
      const session = input.sessionId ? await sessions.forSend(input.organizationId, input.userId, input.sessionId, tx) : null;
      // Hold the credit before anything costly: with N credits left, at most N calls start.
      const reservation = await credits.reserve(input.userId, tx);
      const history = session ? await sessions.recentTurns(session.id, HISTORY_READ_LIMIT, tx) : [];
      return { locale: user.locale as Locale, coachPrompt: user.coachPrompt, session, reservation, history };
    });
    let settled = false;
    const release = async () => {
      if (settled) return;
      settled = true;
      await credits.release(reservation);
    };

    try {
      const system = coachInstructions({ persona: coachPrompt, language: locale });
      const { messages } = fitContext({ system, history, message: input.message, budgetTokens: deps.contextBudgetTokens });

      return {
        cancel: release,
        async run(options = {}) {
          let text = '';
          try {
            const stream = llm.stream(
              { messages, agent: { kind: 'chat' }, language: locale, maxTokens: REPLY_MAX_TOKENS, ...(options.signal ? { signal: options.signal } : {}) },
              { feature: 'chat', userId: input.userId, organizationId: input.organizationId },
            );
            for await (const event of stream) {
              if (event.type === 'text') {
                text += event.delta;
                options.onDelta?.(event.delta);
              } else if (event.type === 'done') {
                text = event.result.text || text;
              }
            }
          } catch (err) {
            await release();
            if (options.signal?.aborted) {
              // Client gone: keep what was said (marked incomplete), charge nothing.
              await save({ input, locale, sessionId: session?.id ?? null, reply: text, complete: false, reservation: null }).catch(() => undefined);
            }
            throw err;
          }
          if (options.signal?.aborted) {
            await release();
            await save({ input, locale, sessionId: session?.id ?? null, reply: text, complete: false, reservation: null });
            throw options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted');
          }
          if (text.trim() === '') {
            await release();
            throw new AppError('PROVIDER_UNAVAILABLE', 'The AI engine returned an empty reply. No credit was used; please try again.');
          }
          try {
            const result = await save({ input, locale, sessionId: session?.id ?? null, reply: text, complete: true, reservation });
            settled = true;
            return result;
          } finally {
            await release();
          }
        },
      };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** Saves the user message and the reply (creating the session if needed); charges when `reservation` is given. */
  async function save(args: {
    input: SendInput;
    locale: Locale;
    sessionId: string | null;
    reply: string;
    complete: boolean;
    reservation: Reservation | null;
  }): Promise<SendResult> {
    const { input } = args;
    return db.transaction(async (tx) => {
      const at = new Date();
      let sessionId = args.sessionId;
      const reply = args.reply;
      const keepReply = args.complete || reply !== '';
      const count = keepReply ? 2 : 1;
      const lastAt = keepReply ? new Date(at.getTime() + 1) : at;
      const lastMessage = lastMessageOf(keepReply ? reply : input.message);
      let seq: number;
      if (sessionId === null) {
        sessionId = randomUUID();
        await tx.insert(chatSessions).values({
          id: sessionId,
          organizationId: input.organizationId,
          userId: input.userId,
          title: titleFrom(input.message, args.locale),
          lastMessage,
          messageCount: count,
          createdAt: at,
          updatedAt: lastAt,
        });
        seq = 0;
      } else {
        // Locks the session row: concurrent sends into it get consecutive sequence numbers.
        const [updated] = await tx
          .update(chatSessions)
          .set({ messageCount: sql`${chatSessions.messageCount} + ${count}`, lastMessage, updatedAt: lastAt })
          .where(eq(chatSessions.id, sessionId))
          .returning({ messageCount: chatSessions.messageCount });
        if (!updated) throw new AppError('NOT_FOUND', 'Chat session not found (deleted during the reply).');
        seq = updated.messageCount - count;
      }
      const base = { sessionId, organizationId: input.organizationId, userId: input.userId };
      const rows: (typeof chatMessages.$inferInsert)[] = [
        { ...base, id: randomUUID(), role: 'USER', content: input.message, status: 'complete', seq, createdAt: at },
      ];
      if (keepReply) {
        const status = args.complete ? 'complete' : 'incomplete';
        rows.push({ ...base, id: randomUUID(), role: 'ASSISTANT', content: reply, status, seq: seq + 1, createdAt: lastAt });
      }
      const inserted = await tx.insert(chatMessages).values(rows).returning();
      const userMessage = inserted.find((m) => m.role === 'USER')!;
      const assistant = inserted.find((m) => m.role === 'ASSISTANT');
      const remainingCredits = args.reservation && assistant ? await credits.charge(tx, args.reservation, assistant.id) : null;
      return {
        sessionId,
        userMessage: messageView(userMessage),
        assistantMessage: assistant ? messageView(assistant) : { ...messageView(userMessage), id: '', role: 'ASSISTANT', content: '', status: 'incomplete' },
        remainingCredits,
      };
    });
  }

  return { prepare };
}

export type SendMessage = ReturnType<typeof createSendMessage>;
