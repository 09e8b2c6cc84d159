import type { Logger } from 'pino';
import { abortReason, isProviderError, ProviderError } from './provider-error.js';
import { retryDelayMs, sleep, type RetryPolicy } from './retry.js';
import type { LlmEvent, LlmProvider, ProviderCall, ResolvedRequest } from './types.js';

export interface ReliabilityOptions {
  retry: RetryPolicy;
  logger: Logger;
  /** Injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The base layer every provider goes through: a per-attempt idle timeout (`request.timeoutMs`
 * without an event aborts the attempt; time spent by the consumer does not count), cancellation
 * that aborts the adapter's own signal (which stops the upstream request), and retries with
 * backoff for retryable failures that happen before anything was streamed.
 */
export function withReliability(provider: LlmProvider, options: ReliabilityOptions): LlmProvider {
  const wait = options.sleep ?? sleep;
  return {
    name: provider.name,
    model: provider.model,
    capabilities: provider.capabilities,
    warmUp: provider.warmUp?.bind(provider),
    close: () => provider.close(),
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      for (let attempt = 0; ; attempt++) {
        if (call.signal.aborted) throw abortReason(call.signal);
        const attemptController = new AbortController();
        const forwardAbort = (): void => attemptController.abort(call.signal.reason);
        call.signal.addEventListener('abort', forwardAbort, { once: true });
        let timedOut = false;
        let consumerBusy = false;
        const timer = setTimeout(() => {
          if (consumerBusy) {
            timer.refresh();
            return;
          }
          timedOut = true;
          attemptController.abort(timeoutError(provider, request.timeoutMs));
        }, request.timeoutMs);
        let streamed = false;
        let completed = false;
        try {
          for await (const event of provider.stream(request, { ...call, signal: attemptController.signal })) {
            streamed = true;
            consumerBusy = true;
            yield event;
            consumerBusy = false;
            timer.refresh();
          }
          completed = true;
          return;
        } catch (error) {
          if (call.signal.aborted) throw abortReason(call.signal);
          const failure = timedOut ? timeoutError(provider, request.timeoutMs) : asProviderError(error, provider);
          const delayMs = streamed ? undefined : retryDelayMs(failure, attempt, options.retry);
          if (delayMs === undefined) throw failure;
          options.logger.warn(
            { provider: provider.name, model: provider.model, attempt: attempt + 1, kind: failure.kind, status: failure.status, delayMs },
            'LLM call failed, retrying',
          );
          await wait(delayMs, call.signal);
        } finally {
          clearTimeout(timer);
          call.signal.removeEventListener('abort', forwardAbort);
          // Stops the upstream work when the consumer stopped early (break/return) or we failed.
          // Not after a complete stream: an abort builds a DOMException (a stack trace) per call.
          if (!completed) attemptController.abort();
        }
      }
    },
  };
}

function timeoutError(provider: LlmProvider, timeoutMs: number): ProviderError {
  return new ProviderError(`${provider.name} made no progress for ${timeoutMs} ms`, {
    provider: provider.name,
    kind: 'timeout',
    retryable: true,
  });
}

function asProviderError(error: unknown, provider: LlmProvider): ProviderError {
  if (isProviderError(error)) return error;
  return new ProviderError(`${provider.name} failed: ${error instanceof Error ? error.message : String(error)}`, {
    provider: provider.name,
    kind: 'unknown',
    retryable: false,
    cause: error,
  });
}
