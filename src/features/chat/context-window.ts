import type { ChatMessage } from '../../providers/llm/index.js';

/** A stored turn of a conversation, oldest first. */
export interface Turn {
  role: 'USER' | 'ASSISTANT';
  content: string;
}

/** Default prompt budget (system + history + new message), in estimated tokens. */
export const DEFAULT_CONTEXT_BUDGET_TOKENS = 3000;

/**
 * A cheap, provider-independent estimate (≈ 4 characters per token, plus a few tokens of
 * per-message overhead). It errs on the high side for French and English prose, which is what a
 * budget wants.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

/**
 * Fits a conversation into a token budget by TRIMMING the oldest turns (no summary: a summary
 * would need another AI call, which costs time and, for real models, money). The system prompt
 * and the new user message are always kept; earlier turns are added newest first while they
 * fit, so the model sees the most recent context. A kept history never starts with an assistant
 * turn (the model would see an answer without its question).
 */
export function fitContext(input: { system: string; history: readonly Turn[]; message: string; budgetTokens: number }): {
  messages: ChatMessage[];
  keptTurns: number;
  droppedTurns: number;
} {
  let used = estimateTokens(input.system) + estimateTokens(input.message);
  const kept: Turn[] = [];
  for (let i = input.history.length - 1; i >= 0; i--) {
    const turn = input.history[i]!;
    const cost = estimateTokens(turn.content);
    if (used + cost > input.budgetTokens) break;
    used += cost;
    kept.unshift(turn);
  }
  while (kept[0]?.role === 'ASSISTANT') kept.shift();
  const messages: ChatMessage[] = [
    { role: 'system', content: input.system },
    ...kept.map((turn): ChatMessage => (turn.role === 'USER' ? { role: 'user', content: turn.content } : { role: 'assistant', content: turn.content })),
    { role: 'user', content: input.message },
  ];
  return { messages, keptTurns: kept.length, droppedTurns: input.history.length - kept.length };
}
