/**
 * The conversation of one realtime session: its items in conversation order (what the LLM sees)
 * with turn start/end times, and their conversion to LLM messages and transcript items.
 */
import type { ChatMessage, ToolCall } from '../../llm/index.js';
import { estimateInputTokens } from '../../llm/token-estimate.js';
import type { SpokenSpan } from './barge-in.js';
import type { ConversationItem } from '../../../shared/realtime-protocol.js';
import type { TranscriptItem } from './transcript.js';

export interface Entry {
  item: ConversationItem & { id: string };
  /** ms from session start. */
  startMs: number;
  endMs?: number;
  /** Set while the transcript of a user audio item is being computed. */
  transcribing?: Promise<void>;
  /** Assistant audio items: the sentences spoken and where they sit in the item's audio. */
  spans?: SpokenSpan[];
  /** Audio ms sent for an assistant item, and when its first delta left (session ms). */
  audioMs?: number;
  firstDeltaAtMs?: number;
}

export class Conversation {
  private readonly entries: Entry[] = [];

  /** `historyTokenBudget`: estimated tokens of the messages sent to the LLM (see `toMessages`). */
  constructor(private readonly historyTokenBudget = Number.POSITIVE_INFINITY) {}

  get size(): number {
    return this.entries.length;
  }

  /** Appends (or inserts after `previousItemId`); returns the id of the item before it, or null. */
  add(entry: Entry, previousItemId?: string | null): string | null {
    let at = this.entries.length;
    if (previousItemId === null) at = 0;
    else if (previousItemId !== undefined) {
      const index = this.entries.findIndex((e) => e.item.id === previousItemId);
      if (index >= 0) at = index + 1;
    }
    this.entries.splice(at, 0, entry);
    return at > 0 ? this.entries[at - 1]!.item.id : null;
  }

  has(id: string): boolean {
    return this.entries.some((e) => e.item.id === id);
  }

  get(id: string): Entry | undefined {
    return this.entries.find((e) => e.item.id === id);
  }

  lastId(): string | null {
    return this.entries.at(-1)?.item.id ?? null;
  }

  /** Resolves when every user audio item has its transcript. */
  async transcribed(): Promise<void> {
    await Promise.all(this.entries.map((e) => e.transcribing));
  }

  isTranscribing(): boolean {
    return this.entries.some((e) => e.transcribing !== undefined);
  }

  hasCallId(callId: string): boolean {
    return this.entries.some((e) => e.item.type === 'function_call' && e.item.call_id === callId);
  }

  /**
   * The history as LLM messages (consecutive function calls become one assistant message), trimmed
   * to the token budget: the instructions and the newest message are always kept, then older
   * messages newest first while they fit; the kept history starts with a user or system message
   * (never with an answer or a tool result whose call was dropped).
   * `pendingUser`: the text of a user turn not committed yet, as if it were the last item.
   */
  toMessages(instructions: string, pendingUser?: string): ChatMessage[] {
    const system: ChatMessage[] = instructions.trim() ? [{ role: 'system', content: instructions }] : [];
    const history = this.historyMessages(pendingUser);
    // The assistant speaks first (a scenario starts by itself): an empty conversation still needs a message.
    if (system.length === 0 && history.length === 0) return [{ role: 'system', content: OPENING_PROMPT }];
    return [...system, ...fitToBudget(history, this.historyTokenBudget - estimateInputTokens(system))];
  }

  private historyMessages(pendingUser: string | undefined): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const { item } of this.entries) {
      if (item.type === 'message') {
        const text = messageText(item);
        if (!text) continue;
        if (item.role === 'user') messages.push({ role: 'user', content: text });
        else if (item.role === 'assistant') messages.push({ role: 'assistant', content: text });
        else if (item.role === 'system') messages.push({ role: 'system', content: text });
      } else if (item.type === 'function_call') {
        const call: ToolCall = { id: item.call_id ?? item.id, name: item.name, arguments: item.arguments };
        const last = messages.at(-1);
        if (last?.role === 'assistant' && last.content === null) last.toolCalls = [...(last.toolCalls ?? []), call];
        else messages.push({ role: 'assistant', content: null, toolCalls: [call] });
      } else if (item.type === 'function_call_output') {
        messages.push({ role: 'tool', toolCallId: item.call_id, content: item.output });
      }
    }
    if (pendingUser?.trim()) messages.push({ role: 'user', content: pendingUser.trim() });
    return messages;
  }
}

/** The newest messages that fit in `budget` estimated tokens (the last one always), starting with a user or system message. */
function fitToBudget(messages: ChatMessage[], budget: number): ChatMessage[] {
  if (messages.length === 0 || !Number.isFinite(budget)) return messages;
  let start = messages.length - 1;
  let used = estimateInputTokens([messages[start]!]);
  while (start > 0) {
    const cost = estimateInputTokens([messages[start - 1]!]) - 2;
    if (used + cost > budget) break;
    used += cost;
    start--;
  }
  const opens = (m: ChatMessage): boolean => m.role === 'user' || m.role === 'system';
  const first = messages.findIndex((m, i) => i >= start && opens(m));
  if (first >= 0) return messages.slice(first);
  // Only answers and tool results fit: go back to the question they answer, over the budget.
  while (start > 0 && !opens(messages[start]!)) start--;
  return messages.slice(start);
}

export const OPENING_PROMPT = 'Start the conversation: greet the user and say in one sentence how you can help.';

export function messageText(item: ConversationItem): string {
  if (item.type !== 'message') return '';
  const content = item.content as Array<{ text?: string; transcript?: string }>;
  return content
    .map((c) => c.text ?? c.transcript ?? '')
    .filter(Boolean)
    .join(' ')
    .trim();
}

/** The transcript view of a completed entry. */
export function toTranscriptItem(entry: Entry): TranscriptItem {
  const { item } = entry;
  const base = { id: item.id, startMs: Math.round(entry.startMs), endMs: Math.round(entry.endMs ?? entry.startMs), status: item.status === 'incomplete' ? ('incomplete' as const) : ('completed' as const) };
  if (item.type === 'function_call') return { ...base, kind: 'function_call', role: 'assistant', text: item.arguments, name: item.name, callId: item.call_id ?? item.id };
  if (item.type === 'function_call_output') return { ...base, kind: 'function_call_output', role: 'tool', text: item.output, callId: item.call_id };
  const role = item.type === 'message' ? item.role : 'system';
  return { ...base, kind: 'message', role: role === 'user' || role === 'assistant' ? role : 'system', text: messageText(item) };
}
