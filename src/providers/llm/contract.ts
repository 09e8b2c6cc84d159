/**
 * The contract every LLM provider passes (run from each provider's test file). It goes through
 * the real base layer (reliability + metering + service), so it checks what features rely on:
 * streamed deltas that add up to the result, tool calls and the tool-result round trip,
 * cancellation, usage counts and records, and typed errors.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryUsageSink } from './memory-usage-sink.js';
import { withMetering } from './metered.js';
import { isAbortError, ProviderError, type ProviderErrorKind } from './provider-error.js';
import { withReliability } from './reliable.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { createLlmService } from './service.js';
import type { LlmEvent, LlmProvider, LlmRequest, LlmService } from './types.js';

type Unsupported = { unsupported: string };

export interface ContractHarness {
  /** The adapter under test (may be shared across tests; the suite never closes it). */
  provider(): LlmProvider | Promise<LlmProvider>;
  /** Arranges (e.g. scripts the fake upstream) and returns a request that answers with text. */
  textCase(): LlmRequest;
  /** A request that streams many deltas, long enough to be cancelled midway. */
  longCase(): LlmRequest;
  /** A request that makes the provider call `tool`; or why the provider cannot be made to. */
  toolCallCase: { arrange(): { request: LlmRequest; tool: string } } | Unsupported;
  /** Arranges the answer that follows a tool result (optional). */
  arrangeAfterToolResult?(): void;
  /** A provider + request that fail in a known way; or why there is nothing that can fail. */
  failureCase:
    | { arrange(): { provider: LlmProvider | Promise<LlmProvider>; request: LlmRequest }; kind: ProviderErrorKind; retryable: boolean }
    | Unsupported;
  /** Asserts the upstream work really stopped after a cancellation (e.g. the socket closed). */
  assertUpstreamStopped?(): Promise<void>;
  exactUsage: boolean;
}

const ctx = { feature: 'contract-test', userId: 'user-1', organizationId: 'org-1' };

function serviceFor(provider: LlmProvider, sink: MemoryUsageSink): LlmService {
  const logger = pino({ level: 'silent' });
  const metered = withMetering(withReliability(provider, { retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }, logger }), {
    sink,
    logger,
  });
  return createLlmService({
    provider: metered.provider,
    fallback: [],
    defaults: { temperature: 0, maxTokens: 64, timeoutMs: 20_000 },
    logger,
    flush: metered.flush,
  });
}

async function collect(stream: AsyncIterable<LlmEvent>): Promise<LlmEvent[]> {
  const events: LlmEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Waits until background usage writes landed. */
async function settled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

export function describeLlmContract(name: string, harness: ContractHarness): void {
  describe(`LLM provider contract: ${name}`, () => {
    it('streams text deltas, then exactly one done event whose result matches them', async () => {
      const provider = await harness.provider();
      const sink = new MemoryUsageSink();
      const events = await collect(serviceFor(provider, sink).stream(harness.textCase(), ctx));

      const deltas = events.filter((e) => e.type === 'text');
      const done = events.filter((e) => e.type === 'done');
      expect(deltas.length).toBeGreaterThan(0);
      expect(done).toHaveLength(1);
      expect(events[events.length - 1]?.type).toBe('done');
      const result = done[0]!.result;
      expect(result.text).toBe(deltas.map((d) => d.delta).join(''));
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.provider).toBe(provider.name);
      expect(result.model).toBe(provider.model);
      expect(['stop', 'length']).toContain(result.finishReason);
      expect(result.toolCalls).toEqual([]);
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(result.usage.approximate).toBe(!harness.exactUsage);
    });

    it('records one usage entry with provider, model, feature, user, organization, tokens and latency', async () => {
      const provider = await harness.provider();
      const sink = new MemoryUsageSink();
      const result = await serviceFor(provider, sink).complete(harness.textCase(), ctx);
      await settled();
      expect(sink.records).toHaveLength(1);
      const record = sink.records[0]!;
      expect(record).toMatchObject({
        provider: provider.name,
        model: provider.model,
        feature: ctx.feature,
        userId: ctx.userId,
        organizationId: ctx.organizationId,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        outcome: 'ok',
      });
      expect(record.errorCode).toBeUndefined();
      expect(record.latencyMs).toBeGreaterThanOrEqual(0);
    });

    const toolCase = harness.toolCallCase;
    if ('unsupported' in toolCase) {
      it.skip(`emits tool calls (not testable here: ${toolCase.unsupported})`, () => {});
    } else {
      it('emits complete tool calls with JSON arguments, and answers after the tool result', async () => {
        const provider = await harness.provider();
        const service = serviceFor(provider, new MemoryUsageSink());
        const { request, tool } = toolCase.arrange();
        const events = await collect(service.stream(request, ctx));
        const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.toolCall] : []));
        const done = events.find((e) => e.type === 'done');
        expect(calls.length).toBeGreaterThan(0);
        expect(calls[0]!.name).toBe(tool);
        expect(calls[0]!.id).not.toBe('');
        expect(typeof JSON.parse(calls[0]!.arguments)).toBe('object');
        expect(done?.type === 'done' && done.result.toolCalls).toEqual(calls);
        expect(done?.type === 'done' && done.result.finishReason).toBe('tool_calls');

        harness.arrangeAfterToolResult?.();
        const followUp = await service.complete(
          {
            ...request,
            messages: [
              ...request.messages,
              { role: 'assistant', content: null, toolCalls: calls },
              ...calls.map((call) => ({ role: 'tool' as const, toolCallId: call.id, content: JSON.stringify({ ok: true, message: 'Done: 42' }) })),
            ],
          },
          ctx,
        );
        expect(followUp.text.length).toBeGreaterThan(0);
        expect(followUp.toolCalls).toEqual([]);
      });
    }

    it('accepts a tool-call round trip already in the history', async () => {
      const provider = await harness.provider();
      const request = harness.textCase();
      const result = await serviceFor(provider, new MemoryUsageSink()).complete(
        {
          ...request,
          tools: [{ name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } }],
          messages: [
            ...request.messages,
            { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_time', arguments: '{}' }] },
            { role: 'tool', toolCallId: 'call_1', content: '{"time":"10:00"}' },
          ],
        },
        ctx,
      );
      expect(result.text.length + result.toolCalls.length).toBeGreaterThan(0);
    });

    it('stops streaming when the AbortSignal fires and records the call as aborted', async () => {
      const provider = await harness.provider();
      const sink = new MemoryUsageSink();
      const controller = new AbortController();
      const seen: LlmEvent[] = [];
      const run = async (): Promise<void> => {
        for await (const event of serviceFor(provider, sink).stream({ ...harness.longCase(), signal: controller.signal }, ctx)) {
          seen.push(event);
          if (event.type === 'text') controller.abort();
        }
      };
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAbortError(error)).toBe(true);
      expect(seen.filter((e) => e.type === 'text')).toHaveLength(1);
      expect(seen.some((e) => e.type === 'done')).toBe(false);
      await harness.assertUpstreamStopped?.();
      await settled();
      expect(sink.records.map((r) => r.outcome)).toEqual(['aborted']);
    });

    it('stops the upstream work when the consumer leaves the loop early', async () => {
      const provider = await harness.provider();
      const sink = new MemoryUsageSink();
      for await (const event of serviceFor(provider, sink).stream(harness.longCase(), ctx)) {
        if (event.type === 'text') break;
      }
      await harness.assertUpstreamStopped?.();
      await settled();
      expect(sink.records).toHaveLength(1);
      expect(sink.records[0]).toMatchObject({ outcome: 'aborted', provider: provider.name });
      expect(sink.records[0]!.outputTokens).toBeGreaterThan(0);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const provider = await harness.provider();
      const sink = new MemoryUsageSink();
      const controller = new AbortController();
      controller.abort();
      const events: LlmEvent[] = [];
      const error = await (async () => {
        for await (const event of serviceFor(provider, sink).stream({ ...harness.textCase(), signal: controller.signal }, ctx)) {
          events.push(event);
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAbortError(error)).toBe(true);
      expect(events).toEqual([]);
      await settled();
      expect(sink.records.map((r) => r.outcome)).toEqual(['aborted']);
    });

    const failure = harness.failureCase;
    if ('unsupported' in failure) {
      it.skip(`reports failures as ProviderError (nothing can fail: ${failure.unsupported})`, () => {});
    } else {
      it('reports failures as a typed ProviderError and records them', async () => {
        const sink = new MemoryUsageSink();
        const { provider, request } = failure.arrange();
        const error = await serviceFor(await provider, sink)
          .complete(request, ctx)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ProviderError);
        const providerError = error as ProviderError;
        expect(providerError.provider).toBe((await provider).name);
        expect(providerError.kind).toBe(failure.kind);
        expect(providerError.retryable).toBe(failure.retryable);
        await settled();
        expect(sink.records).toHaveLength(1);
        expect(sink.records[0]).toMatchObject({ outcome: 'error', errorCode: failure.kind, outputTokens: 0 });
      });
    }
  });
}
