import type { Logger } from 'pino';
import { isAbortError, isProviderError } from './provider-error.js';
import { estimateInputTokens, estimateTokens } from './token-estimate.js';
import type { LlmEvent, LlmProvider, LlmResult, ProviderCall, ResolvedRequest, UsageRecord, UsageSink } from './types.js';

export interface MeteringOptions {
  sink: UsageSink;
  logger: Logger;
  now?: () => number;
}

export interface Metered {
  provider: LlmProvider;
  /** Resolves when every usage record started so far was written (or failed and was logged). */
  flush(): Promise<void>;
}

/**
 * Records one UsageRecord per call (retries included) with the provider that ran, tokens, latency
 * and outcome. Writing happens in the background: a slow or failing sink never delays or breaks
 * the call (failures are logged at warn). Aborted calls record estimated tokens of what streamed.
 */
export function withMetering(provider: LlmProvider, options: MeteringOptions): Metered {
  const now = options.now ?? (() => performance.now());
  const pending = new Set<Promise<void>>();

  const write = (entry: UsageRecord): void => {
    let promise: Promise<void>;
    try {
      promise = Promise.resolve(options.sink.record(entry));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const tracked = promise
      .catch((error: unknown) => {
        options.logger.warn(
          { err: error, provider: entry.provider, feature: entry.feature },
          'LLM usage metering failed; the call itself succeeded',
        );
      })
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const metered: LlmProvider = {
    name: provider.name,
    model: provider.model,
    capabilities: provider.capabilities,
    warmUp: provider.warmUp?.bind(provider),
    close: () => provider.close(),
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      const startedMs = now();
      let result: LlmResult | undefined;
      let streamedText = '';
      let outcome: UsageRecord['outcome'] = 'aborted'; // stays so when the consumer stops early
      let errorCode: string | undefined;
      try {
        for await (const event of provider.stream(request, call)) {
          if (event.type === 'text') streamedText += event.delta;
          else if (event.type === 'done') result = event.result;
          yield event;
        }
        outcome = 'ok';
      } catch (error) {
        if (call.signal.aborted || isAbortError(error)) {
          outcome = 'aborted';
        } else {
          outcome = 'error';
          errorCode = isProviderError(error) ? error.kind : 'unknown';
        }
        throw error;
      } finally {
        const partial = result === undefined && streamedText.length > 0;
        const entry: UsageRecord = {
          provider: result?.provider ?? provider.name,
          model: result?.model ?? provider.model,
          feature: call.feature,
          inputTokens: result?.usage.inputTokens ?? (partial ? estimateInputTokens(request.messages, request.tools) : 0),
          outputTokens: result?.usage.outputTokens ?? estimateTokens(streamedText),
          latencyMs: Math.round((now() - startedMs) * 1000) / 1000,
          outcome,
        };
        if (call.userId !== undefined) entry.userId = call.userId;
        if (call.organizationId !== undefined) entry.organizationId = call.organizationId;
        if (errorCode !== undefined) entry.errorCode = errorCode;
        write(entry);
      }
    },
  };

  return {
    provider: metered,
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
