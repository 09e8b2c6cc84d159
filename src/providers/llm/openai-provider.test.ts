import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestedJsonSchema, splitWords, startFakeOpenAi, type FakeOpenAiServer } from '../../../tests/fakes/openai-server.js';
import { describeLlmContract } from './contract.js';
import { MemoryUsageSink } from './memory-usage-sink.js';
import { withMetering } from './metered.js';
import { createOpenAiProvider } from './openai-provider.js';
import { ProviderError } from './provider-error.js';
import { withReliability } from './reliable.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { createLlmService } from './service.js';
import type { LlmEvent, LlmRequest, LlmService } from './types.js';

let fake: FakeOpenAiServer;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-test' });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const provider = () => createOpenAiProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'gpt-4o-mini' });
const hello: LlmRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] };
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describeLlmContract('openai (loopback fake)', {
  provider,
  exactUsage: true,
  textCase() {
    fake.enqueue({ kind: 'completion', content: ['Hello', ' there', '!'] });
    return hello;
  },
  longCase() {
    fake.enqueue({ kind: 'completion', content: splitWords('word '.repeat(200)), chunkDelayMs: 5 });
    return hello;
  },
  toolCallCase: {
    arrange() {
      fake.enqueue({ kind: 'completion', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }], fragmentSize: 4 });
      return { request: { ...hello, tools: [weatherTool] }, tool: 'get_weather' };
    },
  },
  arrangeAfterToolResult() {
    fake.enqueue({ kind: 'completion', content: ['It is', ' sunny.'] });
  },
  failureCase: {
    arrange() {
      fake.enqueue({ kind: 'error', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error', code: null } } });
      return { provider: provider(), request: hello };
    },
    kind: 'bad_request',
    retryable: false,
  },
  async assertUpstreamStopped() {
    await fake.waitForDisconnect();
    expect(fake.disconnects).toBeGreaterThanOrEqual(1);
  },
});

// ---------------------------------------------------------------------------------------------

interface Harness {
  service: LlmService;
  sink: MemoryUsageSink;
  delays: number[];
}

function harness(retry: Partial<RetryPolicy> = {}, timeoutMs = 5_000): Harness {
  const logger = pino({ level: 'silent' });
  const sink = new MemoryUsageSink();
  const delays: number[] = [];
  const metered = withMetering(
    withReliability(provider(), {
      retry: { ...DEFAULT_RETRY_POLICY, random: () => 0.5, ...retry },
      logger,
      sleep: async (ms) => {
        delays.push(ms);
      },
    }),
    { sink, logger },
  );
  const service = createLlmService({
    provider: metered.provider,
    fallback: [],
    defaults: { temperature: 0.7, maxTokens: 1000, timeoutMs },
    logger,
    flush: metered.flush,
  });
  return { service, sink, delays };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('openai provider: wire format', () => {
  it('sends the model, mapped messages, tools, sampling options and asks for streamed usage', async () => {
    const { service } = harness();
    fake.enqueue({ kind: 'completion', content: ['ok'] });
    await service.complete(
      {
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'What is the weather?' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
          { role: 'tool', toolCallId: 'call_a', content: '{"sky":"clear"}' },
        ],
        tools: [weatherTool],
        toolChoice: 'auto',
        temperature: 0.2,
        maxTokens: 321,
      },
      { feature: 'test' },
    );
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 321,
      tool_choice: 'auto',
      tools: [{ type: 'function', function: weatherTool }],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'What is the weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"sky":"clear"}' },
      ],
    });
  });

  it('asks for structured output with the json_schema response format and streams the JSON back', async () => {
    const { service } = harness();
    const schema = { type: 'object', properties: { verdict: { type: 'string', enum: ['yes', 'no'] } }, required: ['verdict'], additionalProperties: false };
    fake.enqueue({ kind: 'json', value: { verdict: 'yes' }, fragmentSize: 4 });
    const result = await service.complete(
      { ...hello, responseFormat: { type: 'json_schema', name: 'verdict', description: 'A verdict', schema, offlineAnswer: { verdict: 'offline-only' } } },
      { feature: 'test' },
    );
    expect(JSON.parse(result.text)).toEqual({ verdict: 'yes' });
    expect(fake.requests[0]!.body?.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'verdict', description: 'A verdict', schema, strict: true },
    });
    expect(requestedJsonSchema(fake.requests[0]!)?.schema).toEqual(schema);
    // The offline answer is for the offline engine only; nothing else of it goes on the wire.
    expect(JSON.stringify(fake.requests[0]!.body)).not.toContain('offline-only');
  });

  it('uses the configured defaults when a call does not override them', async () => {
    const { service } = harness();
    fake.enqueue({ kind: 'completion', content: ['ok'] });
    await service.complete(hello, { feature: 'test' });
    expect(fake.requests[0]!.body).toMatchObject({ temperature: 0.7, max_tokens: 1000 });
    expect(fake.requests[0]!.body?.tools).toBeUndefined();
    expect(fake.requests[0]!.body?.response_format).toBeUndefined();
  });

  it('streams tool-call fragments of parallel calls and assembles them by index', async () => {
    const { service } = harness();
    fake.enqueue({
      kind: 'completion',
      fragmentSize: 3,
      toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_2', name: 'get_weather', arguments: '{"city":"Nantes"}' },
      ],
    });
    const events: LlmEvent[] = [];
    for await (const event of service.stream({ ...hello, tools: [weatherTool] }, { feature: 'test' })) events.push(event);
    const deltas = events.filter((e) => e.type === 'tool_call_delta');
    expect(deltas.length).toBeGreaterThan(4);
    expect(deltas[0]).toMatchObject({ index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' });
    expect(
      deltas
        .filter((d) => d.index === 1)
        .map((d) => d.argumentsDelta)
        .join(''),
    ).toBe('{"city":"Nantes"}');
    const done = events[events.length - 1];
    expect(done?.type === 'done' && done.result.toolCalls).toEqual([
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_2', name: 'get_weather', arguments: '{"city":"Nantes"}' },
    ]);
  });

  it('reports the usage chunk exactly, and estimates (flagged) when a server sends none', async () => {
    const { service } = harness();
    fake.enqueue({ kind: 'completion', content: ['Hi'], usage: { prompt_tokens: 17, completion_tokens: 3 } });
    const exact = await service.complete(hello, { feature: 'test' });
    expect(exact.usage).toEqual({ inputTokens: 17, outputTokens: 3, approximate: false });

    fake.enqueue({ kind: 'completion', content: ['Hi there'], usage: null });
    const estimated = await service.complete(hello, { feature: 'test' });
    expect(estimated.usage.approximate).toBe(true);
    expect(estimated.usage.outputTokens).toBe(2);
  });

  it('maps finish_reason "length"', async () => {
    const { service } = harness();
    fake.enqueue({ kind: 'completion', content: ['cut'], finishReason: 'length' });
    expect((await service.complete(hello, { feature: 'test' })).finishReason).toBe('length');
  });

  it('turns an error event inside the SSE stream into a ProviderError', async () => {
    const { service } = harness({ maxRetries: 0 });
    fake.enqueue({
      kind: 'custom',
      respond: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`);
      },
    });
    const error = await failure(service.complete(hello, { feature: 'test' }));
    expect(error.kind).toBe('server');
  });
});

describe('openai provider: retries, timeouts and errors', () => {
  it('retries a 429 after the retry-after delay, then succeeds', async () => {
    const { service, delays, sink } = harness();
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '2' } }, { kind: 'completion', content: ['ok'] });
    const result = await service.complete(hello, { feature: 'test' });
    expect(result.text).toBe('ok');
    expect(fake.requests).toHaveLength(2);
    expect(delays).toEqual([2000]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.records.map((r) => r.outcome)).toEqual(['ok']);
  });

  it('honours retry-after-ms', async () => {
    const { service, delays } = harness();
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '150' } }, { kind: 'completion', content: ['ok'] });
    await service.complete(hello, { feature: 'test' });
    expect(delays).toEqual([150]);
  });

  it('does not retry when the server asks to wait longer than the policy allows', async () => {
    const { service, delays } = harness({ maxRetryAfterMs: 1_000 });
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '60' } });
    const error = await failure(service.complete(hello, { feature: 'test' }));
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429, retryAfterMs: 60_000 });
    expect(delays).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff and gives up after maxRetries', async () => {
    const { service, delays, sink } = harness({ maxRetries: 2, baseDelayMs: 100 });
    fake.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 503 }, { kind: 'error', status: 502 });
    const error = await failure(service.complete(hello, { feature: 'test' }));
    expect(error).toMatchObject({ provider: 'openai', kind: 'server', retryable: true, status: 502 });
    expect(fake.requests).toHaveLength(3);
    // equal jitter with random() = 0.5: ceiling * 0.75
    expect(delays).toEqual([75, 150]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.records).toMatchObject([{ outcome: 'error', errorCode: 'server', inputTokens: 0, outputTokens: 0 }]);
  });

  it('does not retry a 400', async () => {
    const { service, delays } = harness();
    fake.enqueue({ kind: 'error', status: 400 });
    const error = await failure(service.complete(hello, { feature: 'test' }));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, status: 400 });
    expect(fake.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a bad API key', async () => {
    const wrongKey = createOpenAiProvider({ apiKey: 'sk-wrong', baseURL: fake.baseURL, model: 'gpt-4o-mini' });
    const logger = pino({ level: 'silent' });
    const service = createLlmService({
      provider: withReliability(wrongKey, { retry: DEFAULT_RETRY_POLICY, logger, sleep: async () => {} }),
      fallback: [],
      defaults: { temperature: 0.7, maxTokens: 10, timeoutMs: 5_000 },
      logger,
    });
    const error = await failure(service.complete(hello, { feature: 'test' }));
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    const { service, delays } = harness();
    fake.enqueue({ kind: 'reset' }, { kind: 'completion', content: ['back'] });
    const result = await service.complete(hello, { feature: 'test' });
    expect(result.text).toBe('back');
    expect(delays).toHaveLength(1);
  });

  it('times out a request that never answers, closes the connection, and retries', async () => {
    const { service, delays } = harness({ maxRetries: 1 }, 150);
    fake.enqueue({ kind: 'stall' }, { kind: 'completion', content: ['late but fine'] });
    const started = performance.now();
    const result = await service.complete(hello, { feature: 'test' });
    expect(result.text).toBe('late but fine');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(delays).toHaveLength(1);
    await fake.waitForDisconnect();
  });

  it('times out a stream that stalls midway without retrying (text was already sent)', async () => {
    const { service, sink } = harness({ maxRetries: 2 }, 150);
    fake.enqueue({ kind: 'completion', content: ['one', ' two', ' three'], stallAfterChunks: 1 });
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of service.stream(hello, { feature: 'test' })) if (event.type === 'text') seen.push(event.delta);
      })(),
    );
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(seen).toEqual(['one']);
    expect(fake.requests).toHaveLength(1);
    await fake.waitForDisconnect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.records[0]).toMatchObject({ outcome: 'error', errorCode: 'timeout' });
  });

  it('does not count time spent by a slow consumer against the timeout', async () => {
    const { service } = harness({ maxRetries: 0 }, 100);
    fake.enqueue({ kind: 'completion', content: ['a', 'b', 'c'] });
    let text = '';
    for await (const event of service.stream(hello, { feature: 'test' })) {
      if (event.type === 'text') {
        text += event.delta;
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    }
    expect(text).toBe('abc');
  });

  it('aborting while waiting for a retry stops at once', async () => {
    const logger = pino({ level: 'silent' });
    const service = createLlmService({
      provider: withReliability(provider(), { retry: { ...DEFAULT_RETRY_POLICY }, logger }),
      fallback: [],
      defaults: { temperature: 0.7, maxTokens: 10, timeoutMs: 5_000 },
      logger,
    });
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '20' } });
    const controller = new AbortController();
    const started = performance.now();
    const pending = service.complete({ ...hello, signal: controller.signal }, { feature: 'test' });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
