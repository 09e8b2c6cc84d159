import type { ChatMessage, ToolDefinition } from './types.js';

/**
 * Approximate token counting for providers that do not report usage (the offline engine, some
 * OpenAI-compatible servers) and for aborted calls: about 4 characters per token, the usual rule
 * of thumb for English BPE vocabularies (French runs a little higher). Results are flagged
 * `approximate` wherever they surface.
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** Per-message framing overhead of chat formats (role markers, separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateInputTokens(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] = []): number {
  let total = 2;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content ?? '');
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) total += estimateTokens(call.name) + estimateTokens(call.arguments);
    }
  }
  if (tools.length > 0) total += estimateTokens(JSON.stringify(tools));
  return total;
}
