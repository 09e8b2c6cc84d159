import type { TranscriptItem } from '../conversations/conversation-store.js';

/** One turn of the transcript under evaluation, as stored by the conversation store. */
export interface EvaluationTurn {
  itemId: string;
  speaker: 'user' | 'assistant';
  text: string;
  /** Start and end of the turn in ms from the conversation's start. */
  startMs: number;
  endMs: number;
}

/**
 * The spoken turns of a conversation, ordered by start: user and assistant messages with text
 * (tool calls, their outputs and system items are not part of what was said).
 */
export function turnsFromItems(items: readonly TranscriptItem[]): EvaluationTurn[] {
  return items
    .filter((item) => (item.role === 'user' || item.role === 'assistant') && (item.type ?? 'message') === 'message' && item.text.trim() !== '')
    .map((item) => ({ itemId: item.itemId, speaker: item.role as 'user' | 'assistant', text: item.text, startMs: item.startMs, endMs: Math.max(item.startMs, item.endMs) }))
    .sort((a, b) => a.startMs - b.startMs);
}
