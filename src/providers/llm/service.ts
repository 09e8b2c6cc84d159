import type { Logger } from 'pino';
import { AppError } from '../../platform/errors.js';
import type {
  LlmCallContext,
  LlmEvent,
  LlmInfo,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmService,
  ProviderName,
  ResolvedRequest,
} from './types.js';

export interface ServiceDefaults {
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
}

export interface LlmServiceOptions {
  /** The composed provider (reliability + metering + fallback already applied). */
  provider: LlmProvider;
  fallback: ProviderName[];
  defaults: ServiceDefaults;
  logger: Logger;
  /** Waits for background work (usage records) before closing. */
  flush?: () => Promise<void>;
}

export function createLlmService(options: LlmServiceOptions): LlmService {
  const { provider, defaults, logger } = options;
  const neverAborted = new AbortController().signal;

  async function* run(request: LlmRequest, ctx: LlmCallContext): AsyncGenerator<LlmEvent, void, undefined> {
    if (request.messages.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'An LLM request needs at least one message');
    }
    const resolved: ResolvedRequest = {
      messages: request.messages,
      tools: request.tools ?? [],
      temperature: request.temperature ?? defaults.temperature,
      maxTokens: request.maxTokens ?? defaults.maxTokens,
      timeoutMs: request.timeoutMs ?? defaults.timeoutMs,
    };
    if (request.toolChoice !== undefined) resolved.toolChoice = request.toolChoice;
    if (request.agent !== undefined) resolved.agent = request.agent;
    if (request.language !== undefined) resolved.language = request.language;
    if (request.responseFormat !== undefined) resolved.responseFormat = request.responseFormat;
    if (logger.isLevelEnabled('debug')) {
      // Prompts are personal data: debug level only, under their own key.
      logger.debug({ feature: ctx.feature, provider: provider.name, prompt: resolved.messages }, 'LLM request');
    }
    yield* provider.stream(resolved, { ...ctx, signal: request.signal ?? neverAborted });
  }

  return {
    stream: run,
    async complete(request, ctx) {
      let result: LlmResult | undefined;
      for await (const event of run(request, ctx)) {
        if (event.type === 'done') result = event.result;
      }
      if (result === undefined) throw new Error(`LLM provider ${provider.name} ended without a result`);
      return result;
    },
    info(): LlmInfo {
      return {
        provider: provider.name,
        model: provider.model,
        offline: provider.capabilities.offline,
        fallback: [...options.fallback],
      };
    },
    async close() {
      await options.flush?.();
      await provider.close();
    },
  };
}
