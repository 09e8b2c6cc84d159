/** Public API of the AI engine layer; everything else in this folder is internal. */
export { llmConfigSchema, type LlmConfig } from '../../config/llm-config.js';
export { createLlm, type LlmDeps } from './create-llm.js';
export { MemoryUsageSink } from './memory-usage-sink.js';
export { OFFLINE_MODE_HINT, OFFLINE_MODEL } from './offline/engine.js';
export { buildInstructions, renderTranscript, type ContextBlock, type InstructionsInput } from './prompt.js';
export { isAbortError, isProviderError, ProviderError, type ProviderErrorKind } from './provider-error.js';
export type {
  AgentHint,
  AgentKind,
  ChatMessage,
  FinishReason,
  JsonResponseFormat,
  Language,
  LlmCallContext,
  LlmEvent,
  LlmInfo,
  LlmRequest,
  LlmResult,
  LlmService,
  LlmUsage,
  ProviderName,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  TranscriptTurn,
  UsageRecord,
  UsageSink,
} from './types.js';
