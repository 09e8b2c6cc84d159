import { randomUUID } from 'node:crypto';
import type { RawDb } from '../../db/raw.js';
import type { Locale } from '../../shared/accounts.js';
import { AppError } from '../../platform/errors.js';
import type { LlmService } from '../../providers/llm/index.js';
import { lastMessageOf, messageView, titleFrom, type ChatMessageRow, type ChatMessageView } from './chat-sessions.js';
import { coachInstructions } from './coach-prompt.js';
import { fitContext } from './context-window.js';
import type { CreditHold, CreditLedger } from './credit-ledger.js';
import { appendToSession, createSession, loadSendContext, type NewMessage } from './send-queries.js';

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

/** A send that passed every check and holds a credit: `run` it. */
export interface PreparedSend {
  run(options?: { signal?: AbortSignal; onDelta?: (delta: string) => void }): Promise<SendResult>;
}

export interface SendMessageDeps {
  /** The send path runs hand-written statements without the ORM (see src/db/raw.ts). */
  raw: RawDb;
  llm: LlmService;
  credits: CreditLedger;
  contextBudgetTokens: number;
}

/**
 * One chat turn: checks (session ownership, credits) → AI reply → save both messages and
 * charge one credit in one transaction. A failed AI call saves and charges nothing. When the
 * caller aborts (client gone), the call is aborted; a reply that had started (at least one
 * delta) is saved marked `incomplete` and costs its credit — the words were produced, and
 * shown; an abort before the first delta saves the user's message only and costs nothing.
 */
export function createSendMessage(deps: SendMessageDeps) {
  const { raw, llm, credits } = deps;

  async function prepare(input: SendInput): Promise<PreparedSend> {
    // Two round trips, no transaction (a pool under load is the bottleneck): the user's language
    // and coach prompt, the session (checked) and its recent turns; then the credit hold.
    const sessionId = input.sessionId ?? null;
    const { locale, coachPrompt, history } = await loadSendContext(raw, { organizationId: input.organizationId, userId: input.userId, sessionId, historyLimit: HISTORY_READ_LIMIT });
    // Hold the credit before anything costly: with N credits left, at most N calls start.
    const hold = await credits.holdIn(raw, input.userId);
    let settled = false;
    const release = async () => {
      if (settled) return;
      settled = true;
      await credits.release(hold);
    };
    /** Saves the reply and spends the held credit (once saved, the hold is spent, not released). */
    const saveCharged = async (reply: string, complete: boolean) => {
      try {
        const result = await save({ input, locale, sessionId, reply, complete, hold });
        settled = true;
        return result;
      } finally {
        await release();
      }
    };

    try {
      const system = coachInstructions({ persona: coachPrompt, language: locale });
      const { messages } = fitContext({ system, history, message: input.message, budgetTokens: deps.contextBudgetTokens });

      /** The client went away: a started reply is kept and charged, an unstarted one costs nothing. */
      const aborted = async (text: string, signal: AbortSignal): Promise<never> => {
        if (text !== '') {
          await saveCharged(text, false);
        } else {
          await release();
          await save({ input, locale, sessionId, reply: '', complete: false, hold: null });
        }
        throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      };

      return {
        async run(options = {}) {
          const { signal } = options;
          let text = '';
          try {
            const stream = llm.stream(
              { messages, agent: { kind: 'chat' }, language: locale, maxTokens: REPLY_MAX_TOKENS, ...(signal ? { signal } : {}) },
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
            if (signal?.aborted) return aborted(text, signal);
            await release();
            throw err;
          }
          if (signal?.aborted) return aborted(text, signal);
          if (text.trim() === '') {
            await release();
            throw new AppError('PROVIDER_UNAVAILABLE', 'The AI engine returned an empty reply. No credit was used; please try again.');
          }
          return saveCharged(text, true);
        },
      };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** Saves the user message and the reply (creating the session if needed); spends the held credit when `hold` is given. */
  async function save(args: {
    input: SendInput;
    locale: Locale;
    sessionId: string | null;
    reply: string;
    complete: boolean;
    hold: CreditHold | null;
  }): Promise<SendResult> {
    const { input } = args;
    return raw.transaction(async (tx) => {
      const at = new Date();
      let sessionId = args.sessionId;
      const reply = args.reply;
      const keepReply = args.complete || reply !== '';
      const lastAt = keepReply ? new Date(at.getTime() + 1) : at;
      const lastMessage = lastMessageOf(keepReply ? reply : input.message);
      const messages: NewMessage[] = [{ id: randomUUID(), role: 'USER', content: input.message, status: 'complete', createdAt: at }];
      if (keepReply) messages.push({ id: randomUUID(), role: 'ASSISTANT', content: reply, status: args.complete ? 'complete' : 'incomplete', createdAt: lastAt });
      const replyMessage = messages[1];
      if (sessionId === null) {
        sessionId = randomUUID();
        const title = titleFrom(input.message, args.locale);
        await createSession(tx, { id: sessionId, organizationId: input.organizationId, userId: input.userId, title, lastMessage, createdAt: at, updatedAt: lastAt });
      }
      const saved = await appendToSession(tx, { sessionId, organizationId: input.organizationId, userId: input.userId, lastMessage, updatedAt: lastAt, messages });
      if (saved.firstSeq === null) throw new AppError('NOT_FOUND', 'Chat session not found (deleted during the reply).');
      // The reply's credit is spent in the transaction that saves it.
      const remainingCredits = args.hold && replyMessage ? await credits.spendIn(tx, args.hold, replyMessage.id) : null;
      const base = { sessionId, organizationId: input.organizationId, userId: input.userId };
      const inserted: ChatMessageRow[] = messages.map((m, i) => ({ ...base, ...m, seq: saved.firstSeq! + i }));
      const userMessage = inserted[0]!;
      const assistant = inserted[1];
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
