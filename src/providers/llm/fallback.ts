import type { Logger } from 'pino';
import { isProviderError } from './provider-error.js';
import type { LlmEvent, LlmProvider, ProviderCall, ResolvedRequest } from './types.js';

/** A failure that means "this provider is unavailable", as opposed to "this request is wrong". */
export function shouldFallBack(error: unknown): boolean {
  return isProviderError(error) && error.kind !== 'bad_request';
}

/**
 * Composes providers: the first one answers unless it fails before streaming anything with a
 * provider failure (after its own retries), in which case the next one is tried. Once text has
 * streamed, an error is thrown as is (we cannot unsay words). Aborts are never fallen back.
 * The `done` result names the provider that actually answered.
 */
export function withFallback(chain: readonly LlmProvider[], logger: Logger): LlmProvider {
  const primary = chain[0];
  if (primary === undefined) throw new Error('withFallback needs at least one provider');
  if (chain.length === 1) return primary;
  return {
    name: primary.name,
    model: primary.model,
    capabilities: primary.capabilities,
    async warmUp() {
      await Promise.all(chain.map((provider) => provider.warmUp?.()));
    },
    async close() {
      await Promise.all(chain.map((provider) => provider.close()));
    },
    async *stream(request: ResolvedRequest, call: ProviderCall): AsyncGenerator<LlmEvent, void, undefined> {
      for (const [index, provider] of chain.entries()) {
        let streamed = false;
        try {
          for await (const event of provider.stream(request, call)) {
            streamed = true;
            yield event;
          }
          return;
        } catch (error) {
          const next = chain[index + 1];
          if (streamed || call.signal.aborted || next === undefined || !shouldFallBack(error)) throw error;
          logger.warn(
            {
              from: provider.name,
              to: next.name,
              kind: isProviderError(error) ? error.kind : undefined,
              status: isProviderError(error) ? error.status : undefined,
              feature: call.feature,
            },
            'LLM provider unavailable, falling back',
          );
        }
      }
    },
  };
}
