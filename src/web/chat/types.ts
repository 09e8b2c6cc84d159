/** Chat API shapes, inferred from the server's zod schemas (type-only imports). */
import type { z } from 'zod';
import type {
  ZChatMessage, ZChatSession, ZCreditsResponse, ZLedgerEntry, ZListSessionsResponse, ZSendResponse, ZSessionWithMessagesResponse, ZStatsResponse,
} from '../../shared/api/chat.js';

export type ChatSession = z.infer<typeof ZChatSession>;
export type ChatMessage = z.infer<typeof ZChatMessage>;
export type SessionList = z.infer<typeof ZListSessionsResponse>;
export type SessionWithMessages = z.infer<typeof ZSessionWithMessagesResponse>['session'];
export type SendResult = z.infer<typeof ZSendResponse>;
export type UserStats = z.infer<typeof ZStatsResponse>['stats'];
export type CreditsView = z.infer<typeof ZCreditsResponse>;
export type LedgerEntry = z.infer<typeof ZLedgerEntry>;
