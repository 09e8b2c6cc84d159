import type { Logger } from 'pino';
import type { LlmConfig } from '../../config/llm-config.js';
import { withFallback } from './fallback.js';
import { createLlamaProvider } from './llama-provider.js';
import { withMetering, type Metered } from './metered.js';
import { createOfflineProvider } from './offline/engine.js';
import { createOpenAiProvider } from './openai-provider.js';
import { withReliability } from './reliable.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { realFileSystem, selectProviders, type FileSystemProbe, type ProviderPlan } from './select-provider.js';
import { createLlmService } from './service.js';
import type { LlmProvider, LlmService, ProviderName, UsageSink } from './types.js';

export interface LlmDeps {
  usage: UsageSink;
  logger: Logger;
  /** Injectable for tests. */
  fs?: FileSystemProbe;
}

function buildProvider(name: ProviderName, config: LlmConfig, plan: ProviderPlan, logger: Logger): LlmProvider {
  switch (name) {
    case 'openai':
      return createOpenAiProvider({
        model: config.OPENAI_MODEL,
        ...(config.OPENAI_API_KEY !== undefined ? { apiKey: config.OPENAI_API_KEY } : {}),
        ...(config.OPENAI_BASE_URL !== undefined ? { baseURL: config.OPENAI_BASE_URL } : {}),
      });
    case 'llama':
      if (plan.modelPath === undefined) throw new Error('llama provider selected without a model path');
      return createLlamaProvider({
        modelPath: plan.modelPath,
        logger,
        ...(config.LLM_THREADS !== undefined ? { threads: config.LLM_THREADS } : {}),
      });
    case 'offline':
      return createOfflineProvider();
  }
}

/**
 * Builds the LLM service from config: selects providers, wraps each in the base layer
 * (timeouts, retries, metering) and composes them with the fallback wrapper. A local model is
 * loaded eagerly; if it cannot load, calls fall back (and /api/health shows the provider).
 */
export async function createLlm(config: LlmConfig, deps: LlmDeps): Promise<LlmService> {
  const logger = deps.logger.child({ component: 'llm' });
  const plan = selectProviders(config, deps.fs ?? realFileSystem);
  for (const skipped of plan.skipped) logger.warn(skipped, 'LLM fallback provider skipped');

  const metered: Metered[] = [plan.primary, ...plan.fallback].map((name) =>
    withMetering(
      withReliability(buildProvider(name, config, plan, logger), {
        retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.LLM_MAX_RETRIES },
        logger,
      }),
      { sink: deps.usage, logger },
    ),
  );
  const provider = withFallback(
    metered.map((m) => m.provider),
    logger,
  );
  logger.info(
    { provider: plan.primary, model: provider.model, fallback: plan.fallback, reason: plan.reason },
    plan.primary === 'offline' ? 'LLM: offline engine (set OPENAI_API_KEY or add a GGUF model for a real model)' : 'LLM provider selected',
  );
  try {
    await provider.warmUp?.();
  } catch (error) {
    logger.warn({ err: error, provider: plan.primary }, 'LLM provider failed to initialise; calls will use the fallback');
  }

  return createLlmService({
    provider,
    fallback: plan.fallback,
    defaults: { temperature: config.LLM_TEMPERATURE, maxTokens: config.LLM_MAX_TOKENS, timeoutMs: config.LLM_TIMEOUT_MS },
    logger,
    flush: async () => {
      await Promise.all(metered.map((m) => m.flush()));
    },
  });
}
