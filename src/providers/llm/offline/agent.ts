import type { ChatMessage, Language, ResolvedRequest } from '../types.js';
import type { Templates } from './templates-en.js';

/** What an offline agent sees: the request plus conveniences computed once. */
export interface AgentInput {
  request: ResolvedRequest;
  language: Language;
  t: Templates;
  /** Text of every user message, oldest first. */
  userTexts: string[];
  /** The latest user message ('' when there is none). */
  lastUser: string;
  /** Deterministic seed for picking template variants. */
  seed: number;
}

export interface AgentReply {
  text: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
}

export function systemText(messages: readonly ChatMessage[]): string {
  return messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
}

export function assistantTurns(messages: readonly ChatMessage[]): number {
  return messages.filter((message) => message.role === 'assistant').length;
}
