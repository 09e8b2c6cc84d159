import { z } from 'zod';
import { PLANS } from '../accounts.js';

/** The chat coach's API contract: request and response schemas, shared by the routes and the web app. */

export const CHAT_ROLES = ['USER', 'ASSISTANT'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];
/** `incomplete`: the client went away mid-reply; the partial text is kept. */
export const CHAT_MESSAGE_STATUSES = ['complete', 'incomplete'] as const;
export type ChatMessageStatus = (typeof CHAT_MESSAGE_STATUSES)[number];
export const CREDIT_ENTRY_KINDS = ['grant', 'spend', 'refund', 'adjust', 'plan_change'] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/** Longest chat title (characters). */
export const TITLE_MAX = 80;
/** Longest organization coach prompt (characters). */
export const COACH_PROMPT_MAX = 4000;

/** Longest chat message accepted (characters). */
export const MESSAGE_MAX = 4000;

const ZId = z.string().min(1, 'is required').max(64, 'must be at most 64 characters');
/** Accepted for compatibility with the original Chat API; defaults to the caller (see docs/chat.md). */
const ZUserIdField = ZId.optional().describe('The user acted for: yourself (default), or a user of your organization for admins and API keys');
const ZLimit = (fallback: number) => z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').default(fallback);
const ZCursor = z.string().min(1).max(300).optional().describe('The nextCursor of the previous page');

export const ZChatSession = z.object({
  id: z.string(),
  title: z.string(),
  lastMessage: z.string().nullable(),
  messageCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ZChatMessage = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(CHAT_ROLES),
  content: z.string(),
  status: z.enum(CHAT_MESSAGE_STATUSES).describe('incomplete: cut short by a client disconnect (not charged)'),
  createdAt: z.string(),
});

export const ZListSessionsQuery = z.object({
  userId: ZUserIdField,
  limit: ZLimit(50),
  cursor: ZCursor,
  q: z.string().trim().max(100, 'must be at most 100 characters').optional().describe('Search in titles'),
});
export const ZListSessionsResponse = z.object({ sessions: z.array(ZChatSession), nextCursor: z.string().nullable() });

export const ZCreateSession = z.object({
  userId: ZUserIdField,
  title: z.string().trim().max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`).optional(),
});
export const ZSessionResponse = z.object({ session: ZChatSession });

export const ZSessionParams = z.object({ sessionId: ZId });
export const ZSessionWithMessagesResponse = z.object({ session: ZChatSession.extend({ messages: z.array(ZChatMessage) }) });
export const ZRenameSession = z.object({
  title: z.string().trim().min(1, 'is required').max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
});

export const ZSendRequest = z.object({
  userId: ZUserIdField,
  sessionId: ZId.optional().describe('Omit to start a new session titled from the message'),
  message: z.string().trim().min(1, 'is required').max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`),
});
export const ZSendResponse = z.object({
  sessionId: z.string(),
  userMessage: ZChatMessage,
  assistantMessage: ZChatMessage,
  remainingCredits: z.number().int().nullable().describe('Credits left this month; null = unlimited (PREMIUM)'),
});

export const ZHistoryQuery = z.object({ userId: ZUserIdField, limit: ZLimit(20), cursor: ZCursor });
export const ZHistoryResponse = z.object({
  history: z.array(
    z.object({ id: z.string(), title: z.string(), preview: z.string(), messageCount: z.number().int(), createdAt: z.string(), updatedAt: z.string() }),
  ),
  stats: z.object({ totalSessions: z.number().int(), totalMessages: z.number().int() }),
  nextCursor: z.string().nullable(),
});

export const ZStatsQuery = z.object({ userId: ZUserIdField });
export const ZStatsResponse = z.object({
  stats: z.object({
    totalChats: z.number().int(),
    totalMessages: z.number().int(),
    remainingCredits: z.number().int().nullable().describe('null = unlimited (PREMIUM)'),
    plan: z.enum(PLANS),
    status: z.enum(['ACTIVE', 'NO_CREDITS']).describe('ACTIVE: the user can send; NO_CREDITS: the month is used up'),
  }),
});

// ----- admin

export const ZUserIdParams = z.object({ id: ZId });
export const ZCreditState = z.object({
  plan: z.enum(PLANS),
  period: z.string().describe('Calendar month (UTC), e.g. 2026-11'),
  balance: z.number().int().describe("Sum of this period's ledger entries"),
  remaining: z.number().int().nullable().describe('null = unlimited'),
  reserved: z.number().int().describe('Credits held by sends in flight'),
});
export const ZLedgerEntry = z.object({
  id: z.string(),
  period: z.string(),
  kind: z.enum(CREDIT_ENTRY_KINDS),
  amount: z.number().int(),
  plan: z.enum(PLANS),
  reason: z.string().nullable(),
  messageId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  createdAt: z.string(),
});
export const ZCreditsResponse = z.object({ userId: z.string(), credits: ZCreditState, entries: z.array(ZLedgerEntry) });
export const ZAdjustCredits = z.object({
  amount: z
    .number()
    .int('must be an integer')
    .min(-10_000, 'must be at least -10000')
    .max(10_000, 'must be at most 10000')
    .refine((n) => n !== 0, 'must not be 0'),
  reason: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  kind: z.enum(['adjust', 'refund']).default('adjust').describe('refund: give back credits (amount must be positive)'),
});
export const ZAdjustResponse = z.object({ entry: ZLedgerEntry, credits: ZCreditState });

export const ZCoachPrompt = z.object({
  coachPrompt: z.string().max(COACH_PROMPT_MAX, `must be at most ${COACH_PROMPT_MAX} characters`).nullable().describe('null restores the built-in coach'),
});
export const ZCoachPromptResponse = z.object({ coachPrompt: z.string().nullable(), updatedAt: z.string().nullable() });
