import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { abortReason, ProviderError } from './provider-error.js';
import { isRetryableStatus, parseRetryAfterMs } from './retry.js';
import { estimateInputTokens, estimateTokens } from './token-estimate.js';
import type {
  ChatMessage,
  FinishReason,
  JsonResponseFormat,
  LlmEvent,
  LlmProvider,
  ProviderCall,
  ResolvedRequest,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from './types.js';

export interface OpenAiProviderOptions {
  apiKey?: string;
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio…). */
  baseURL?: string;
  model: string;
  /** Injectable for tests/benchmarks; global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * Thin adapter over the official SDK's streaming chat completions. Retries and timeouts belong to
 * the base layer, so the SDK's own are disabled; cancellation passes our signal to the SDK, which
 * aborts the HTTP request (the socket is closed, the upstream stops generating).
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): LlmProvider {
  const client = new OpenAI({
    // Compatible servers often need no key, but the SDK insists on one.
    apiKey: options.apiKey ?? 'not-needed',
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    timeout: 24 * 60 * 60 * 1000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Official OpenAI wants max_completion_tokens (reasoning models reject max_tokens); compatible
  // servers widely support max_tokens only.
  const officialApi = options.baseURL === undefined;

  return {
    name: 'openai',
    model: options.model,
    capabilities: { toolCalls: true, exactUsage: true, offline: false },
    async close() {},
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      const body: ChatCompletionCreateParamsStreaming = {
        model: options.model,
        messages: request.messages.map(toOpenAiMessage),
        temperature: request.temperature,
        stream: true,
        stream_options: { include_usage: true },
      };
      if (officialApi) body.max_completion_tokens = request.maxTokens;
      else body.max_tokens = request.maxTokens;
      if (request.tools.length > 0) {
        body.tools = request.tools.map(toOpenAiTool);
        if (request.toolChoice !== undefined) body.tool_choice = toOpenAiToolChoice(request.toolChoice);
      }
      if (request.responseFormat !== undefined) body.response_format = toOpenAiResponseFormat(request.responseFormat);

      let text = '';
      let finishReason: FinishReason = 'stop';
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      const calls = new Map<number, ToolCall>();
      try {
        const stream = await client.chat.completions.create(body, { signal: call.signal });
        for await (const chunk of stream) {
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices[0];
          if (choice === undefined) continue;
          const delta = choice.delta;
          if (delta.content) {
            text += delta.content;
            yield { type: 'text', delta: delta.content };
          }
          for (const fragment of delta.tool_calls ?? []) {
            yield accumulateToolCall(calls, fragment);
          }
          if (choice.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        }
        // The SDK ends the iteration quietly when its signal aborts; an aborted call must not
        // look like a complete answer.
        if (call.signal.aborted) throw abortReason(call.signal);
      } catch (error) {
        if (call.signal.aborted) throw abortReason(call.signal);
        throw toProviderError(error);
      }

      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, toolCall]) => toolCall);
      for (const toolCall of toolCalls) yield { type: 'tool_call', toolCall };
      yield {
        type: 'done',
        result: {
          text,
          toolCalls,
          finishReason: toolCalls.length > 0 && finishReason === 'stop' ? 'tool_calls' : finishReason,
          usage: usage
            ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, approximate: false }
            : {
                inputTokens: estimateInputTokens(request.messages, request.tools),
                outputTokens: estimateTokens(text) + toolCalls.reduce((n, c) => n + estimateTokens(c.arguments), 0),
                approximate: true,
              },
          provider: 'openai',
          model: options.model,
        },
      };
    },
  };
}

type ToolCallFragment = NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number];

function accumulateToolCall(calls: Map<number, ToolCall>, fragment: ToolCallFragment): LlmEvent {
  const current = calls.get(fragment.index) ?? { id: '', name: '', arguments: '' };
  if (fragment.id) current.id = fragment.id;
  if (fragment.function?.name) current.name += fragment.function.name;
  const argumentsDelta = fragment.function?.arguments ?? '';
  current.arguments += argumentsDelta;
  calls.set(fragment.index, current);
  const event: LlmEvent = { type: 'tool_call_delta', index: fragment.index, argumentsDelta };
  if (fragment.id) event.id = fragment.id;
  if (fragment.function?.name) event.name = fragment.function.name;
  return event;
}

export function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return message.name === undefined
        ? { role: 'user', content: message.content }
        : { role: 'user', content: message.content, name: message.name };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content ?? '' };
      return {
        role: 'assistant',
        content: message.content,
        tool_calls: toolCalls.map((toolCall) => ({
          id: toolCall.id,
          type: 'function',
          function: { name: toolCall.name, arguments: toolCall.arguments },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  const fn: ChatCompletionTool & { type: 'function' } = {
    type: 'function',
    function: { name: tool.name, parameters: tool.parameters ?? { type: 'object', properties: {} } },
  };
  if (tool.description !== undefined) fn.function.description = tool.description;
  return fn;
}

/** Structured output: OpenAI's json_schema response format (compatible servers may ignore it). */
export function toOpenAiResponseFormat(format: JsonResponseFormat): ResponseFormatJSONSchema {
  const jsonSchema: ResponseFormatJSONSchema['json_schema'] = { name: format.name, schema: format.schema, strict: format.strict ?? true };
  if (format.description !== undefined) jsonSchema.description = format.description;
  return { type: 'json_schema', json_schema: jsonSchema };
}

function toOpenAiToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function toFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Maps SDK errors to ProviderError; exported for tests. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError) {
    return new ProviderError('openai request aborted', { provider: 'openai', kind: 'connection', retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(`openai connection failed: ${error.message}`, {
      provider: 'openai',
      kind: 'connection',
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const options = {
      provider: 'openai' as const,
      kind: statusKind(status),
      retryable: isRetryableStatus(status),
      status,
      cause: error,
    };
    const retryAfterMs = parseRetryAfterMs(error.headers);
    return new ProviderError(
      `openai answered HTTP ${status}`,
      retryAfterMs === undefined ? options : { ...options, retryAfterMs },
    );
  }
  if (error instanceof APIError) {
    // An error event inside the SSE stream (no HTTP status): the server failed mid-answer.
    return new ProviderError(`openai stream error: ${error.message}`, { provider: 'openai', kind: 'server', retryable: true, cause: error });
  }
  // fetch/undici failures that escaped the SDK (socket reset while reading the stream).
  return new ProviderError(`openai failed: ${error instanceof Error ? error.message : String(error)}`, {
    provider: 'openai',
    kind: 'connection',
    retryable: true,
    cause: error,
  });
}

function statusKind(status: number): ProviderError['kind'] {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server';
  return 'bad_request';
}
