import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { withReliability } from './reliable.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfterMs, retryDelayMs, sleep } from './retry.js';
import type { LlmEvent, LlmProvider, ResolvedRequest } from './types.js';

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
const retryable = new ProviderError('503', { provider: 'openai', kind: 'server', retryable: true, status: 503 });

describe('retry policy', () => {
  it('retries 408, 429 and 5xx statuses only', () => {
    expect([400, 401, 403, 404, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
    expect([408, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
  });

  it('never retries non-retryable or unknown errors', () => {
    const badRequest = new ProviderError('400', { provider: 'openai', kind: 'bad_request', retryable: false, status: 400 });
    expect(retryDelayMs(badRequest, 0, policy)).toBeUndefined();
    expect(retryDelayMs(new Error('boom'), 0, policy)).toBeUndefined();
  });

  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    const low = { ...policy, random: () => 0 };
    const high = { ...policy, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelayMs(retryable, attempt, low))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelayMs(retryable, attempt, high))).toEqual([100, 200, 400, 800, 1000]);
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(retryable, 2, policy)));
    expect(delays.size).toBeGreaterThan(5); // real jitter by default
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(200);
  });

  it('stops after maxRetries and honours retry-after within the allowed maximum', () => {
    expect(retryDelayMs(retryable, 5, policy)).toBeUndefined();
    const limited = new ProviderError('429', { provider: 'openai', kind: 'rate_limited', retryable: true, status: 429, retryAfterMs: 3_000 });
    expect(retryDelayMs(limited, 0, policy)).toBe(3_000);
    expect(retryDelayMs(limited, 0, { ...policy, maxRetryAfterMs: 2_000 })).toBeUndefined();
  });

  it('parses retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3_000);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:05 GMT' }), now)).toBe(5_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
  });

  it('sleep rejects as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/** An in-process provider scripted attempt by attempt (our own interface, not a vendor). */
function scripted(attempts: Array<(signal: AbortSignal) => AsyncGenerator<LlmEvent>>): LlmProvider & { calls: number } {
  const provider = {
    name: 'openai' as const,
    model: 'scripted',
    capabilities: { toolCalls: true, exactUsage: true, offline: false },
    calls: 0,
    async close() {},
    stream(_request: ResolvedRequest, call: { signal: AbortSignal }) {
      const attempt = attempts[provider.calls++];
      if (!attempt) throw new Error('no more attempts scripted');
      return attempt(call.signal);
    },
  };
  return provider;
}

const request: ResolvedRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], temperature: 0, maxTokens: 10, timeoutMs: 1_000 };
const done: LlmEvent = {
  type: 'done',
  result: { text: 'ok', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, approximate: false }, provider: 'openai', model: 'scripted' },
};

/** A stream that fails on its first `next()`. */
async function* failWith(error: unknown): AsyncGenerator<LlmEvent> {
  if (error !== undefined) throw error;
  yield done;
}

async function run(provider: LlmProvider, delays: number[]): Promise<LlmEvent[]> {
  const reliable = withReliability(provider, {
    retry: { ...policy, maxRetries: 2 },
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => void delays.push(ms),
  });
  const events: LlmEvent[] = [];
  for await (const event of reliable.stream(request, { feature: 'test', signal: new AbortController().signal })) events.push(event);
  return events;
}

describe('withReliability', () => {
  it('retries a retryable failure that happened before anything streamed', async () => {
    const delays: number[] = [];
    const provider = scripted([
      () => failWith(retryable),
      async function* () {
        yield { type: 'text', delta: 'ok' };
        yield done;
      },
    ]);
    const events = await run(provider, delays);
    expect(provider.calls).toBe(2);
    expect(delays).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['text', 'done']);
  });

  it('does not retry once text has streamed (it cannot be unsaid)', async () => {
    const provider = scripted([
      async function* () {
        yield { type: 'text', delta: 'par' };
        throw retryable;
      },
    ]);
    await expect(run(provider, [])).rejects.toBe(retryable);
    expect(provider.calls).toBe(1);
  });

  it('wraps unexpected errors as a non-retryable ProviderError', async () => {
    const provider = scripted([
      () => failWith(new TypeError('bug')),
    ]);
    await expect(run(provider, [])).rejects.toMatchObject({ name: 'ProviderError', kind: 'unknown', retryable: false, provider: 'openai' });
    expect(provider.calls).toBe(1);
  });
});
