import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions } from 'node-llama-cpp';
import type { ChatMessage, ToolDefinition } from './types.js';

/**
 * Converts our messages to node-llama-cpp's chat history. Tool results are attached to the
 * function-call item of the assistant turn that made the call, which is how node-llama-cpp
 * represents the tool-call round trip.
 */
export function toLlamaHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const pendingCalls = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text: message.content });
        break;
      case 'user':
        history.push({ type: 'user', text: message.content });
        break;
      case 'assistant': {
        const response: Array<string | ChatModelFunctionCall> = [];
        if (message.content) response.push(message.content);
        for (const call of message.toolCalls ?? []) {
          const item: ChatModelFunctionCall = { type: 'functionCall', name: call.name, params: parseArguments(call.arguments), result: null };
          pendingCalls.set(call.id, item);
          response.push(item);
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool': {
        const call = pendingCalls.get(message.toolCallId);
        if (call !== undefined) call.result = parseResult(message.content);
        else history.push({ type: 'user', text: `Tool result: ${message.content}` });
        break;
      }
    }
  }
  return history;
}

export function toLlamaFunctions(tools: readonly ToolDefinition[]): ChatModelFunctions | undefined {
  if (tools.length === 0) return undefined;
  const functions: Record<string, { description?: string; params?: unknown }> = {};
  for (const tool of tools) {
    const entry: { description?: string; params?: unknown } = {};
    if (tool.description !== undefined) entry.description = tool.description;
    if (tool.parameters !== undefined) entry.params = tool.parameters;
    functions[tool.name] = entry;
  }
  // JSON schemas from callers are structurally what node-llama-cpp's GBNF schema type describes.
  return functions as ChatModelFunctions;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
