/**
 * The one LLM interface of Coach Hub. Features talk to an `LlmService`; providers (openai, llama,
 * offline) implement `LlmProvider` and stay thin; the base layer (reliable.ts, metered.ts,
 * fallback.ts, service.ts) owns timeouts, retries, metering and fallback for all of them.
 */

import type { ProviderName } from '../../config/llm-config.js';

export { PROVIDER_NAMES, type ProviderName } from '../../config/llm-config.js';

export type Language = 'fr' | 'en';

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; name?: string }
  | { role: 'assistant'; content: string | null; toolCalls?: readonly ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string; name?: string };

/** A function the model may call; `parameters` is a JSON schema object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/**
 * Structured output: the reply is one JSON document matching `schema`. OpenAI (and compatible
 * servers) get `response_format: { type: 'json_schema' }`; the local model generates under a
 * grammar built from the schema; the offline engine, which has no model, answers `offlineAnswer`
 * (the caller's own heuristic result) or else the schema's minimal valid value. Callers still
 * validate the text they get back: compatible servers may ignore the schema, and any model can
 * be cut short by `maxTokens`.
 */
export interface JsonResponseFormat {
  type: 'json_schema';
  /** Letters, digits, `_` and `-` (OpenAI's json_schema.name). */
  name: string;
  description?: string;
  /** A JSON schema object. For OpenAI strict mode: every property required, `additionalProperties: false`. */
  schema: Record<string, unknown>;
  /** OpenAI strict schema adherence (default true). */
  strict?: boolean;
  /** What the offline engine answers (serialised as JSON); real models never see it. */
  offlineAnswer?: unknown;
}

/** One line of a conversation transcript (roleplay, interview, kiosk…). */
export interface TranscriptTurn {
  /** Who spoke: "learner"/"user"/"candidate" for the person being coached, anything else for the AI side. */
  speaker: string;
  text: string;
}

/**
 * Which coaching agent is speaking. Real models get this through the system prompt (see
 * prompt.ts); the offline engine reads it directly to pick its rules and templates.
 */
export type AgentHint =
  | { kind: 'chat' }
  | {
      kind: 'roleplay';
      persona?: { name?: string; role?: string; company?: string };
      scenario?: { title?: string; objections?: readonly string[]; goal?: string };
      /** Good arguments needed before the persona is convinced (default: one per objection). */
      argumentsToConvince?: number;
    }
  | { kind: 'debrief'; transcript?: readonly TranscriptTurn[]; learnerSpeaker?: string }
  | { kind: 'interviewer'; technologies?: readonly string[]; questionCount?: number }
  | { kind: 'kiosk'; gymName?: string };

export type AgentKind = AgentHint['kind'];

export interface LlmRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ToolDefinition[];
  toolChoice?: ToolChoice;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Overrides LLM_TIMEOUT_MS for this call (max ms without progress). */
  timeoutMs?: number;
  /** Used by the offline engine; real models ignore it (their prompt carries the persona). */
  agent?: AgentHint;
  /** Reply language hint; the offline engine detects it from the user's text when absent. */
  language?: Language;
  /** Ask for one JSON document matching a schema (see JsonResponseFormat). */
  responseFormat?: JsonResponseFormat;
}

/** Who the call is for; recorded by usage metering. */
export interface LlmCallContext {
  feature: string;
  userId?: string;
  organizationId?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** True when the counts are estimates (offline engine, servers that do not report usage). */
  approximate: boolean;
}

export interface LlmResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: LlmUsage;
  /** The provider that actually answered (may be a fallback). */
  provider: ProviderName;
  model: string;
}

export type LlmEvent =
  | { type: 'text'; delta: string }
  /** A fragment of a tool call as it streams; `index` identifies the call within the reply. */
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  /** A complete tool call (emitted once the call is fully streamed). */
  | { type: 'tool_call'; toolCall: ToolCall }
  /** Always the last event of a successful stream. */
  | { type: 'done'; result: LlmResult };

export interface LlmInfo {
  provider: ProviderName;
  model: string;
  offline: boolean;
  fallback: ProviderName[];
}

export interface LlmService {
  /** Streams text deltas and tool calls, then one `done` event. Throws ProviderError, or the abort reason when `signal` aborts. */
  stream(request: LlmRequest, ctx: LlmCallContext): AsyncIterable<LlmEvent>;
  /** Non-streaming helper on top of `stream`. */
  complete(request: LlmRequest, ctx: LlmCallContext): Promise<LlmResult>;
  info(): LlmInfo;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Provider side (adapters and the wrappers that compose them)

/** A request after defaults were applied; what adapters receive. */
export interface ResolvedRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolDefinition[];
  toolChoice?: ToolChoice;
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
  agent?: AgentHint;
  language?: Language;
  responseFormat?: JsonResponseFormat;
}

/** Per-call state handed down the wrapper chain. `signal` aborts when the caller cancels or a timeout fires. */
export interface ProviderCall extends LlmCallContext {
  signal: AbortSignal;
}

export interface ProviderCapabilities {
  toolCalls: boolean;
  /** Usage counts come from the model's own tokenizer (not estimates). */
  exactUsage: boolean;
  /** Runs without network or model file. */
  offline: boolean;
}

export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * One attempt. Must stop promptly when `call.signal` aborts (and stop any upstream work), yield
   * exactly one `done` event last, and throw ProviderError for provider failures.
   */
  stream(request: ResolvedRequest, call: ProviderCall): AsyncIterable<LlmEvent>;
  /** Optional eager initialisation (e.g. loading a model file). */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Usage metering

export interface UsageRecord {
  provider: ProviderName;
  model: string;
  feature: string;
  userId?: string;
  organizationId?: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  outcome: 'ok' | 'error' | 'aborted';
  errorCode?: string;
}

export interface UsageSink {
  record(entry: UsageRecord): Promise<void>;
}
