/**
 * The llama provider against a real (tiny, random-weight) GGUF model, loaded by node-llama-cpp's
 * prebuilt CPU binary. The text is gibberish; the plumbing is real.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf, type TinyGguf } from '../../../tests/fakes/tiny-gguf.js';
import { llmConfigSchema } from '../../config/llm-config.js';
import { describeLlmContract } from './contract.js';
import { createLlm } from './create-llm.js';
import { toLlamaFunctions, toLlamaHistory } from './llama-history.js';
import { assertGgufHeader, createLlamaProvider } from './llama-provider.js';
import { MemoryUsageSink } from './memory-usage-sink.js';
import type { LlmProvider, LlmRequest } from './types.js';

const logger = pino({ level: 'silent' });
let gguf: TinyGguf;
let provider: LlmProvider;
const scratchDirs: string[] = [];

beforeAll(async () => {
  gguf = await writeTinyGguf({ layers: 2 });
  provider = createLlamaProvider({ modelPath: gguf.path, logger });
  await provider.warmUp?.();
}, 30_000);

afterAll(async () => {
  await provider?.close();
  for (const dir of [gguf?.dir, ...scratchDirs]) if (dir) await rm(dir, { recursive: true, force: true });
});

const short: LlmRequest = {
  messages: [
    { role: 'system', content: 'You are a coach.' },
    { role: 'user', content: 'hello coach' },
  ],
  temperature: 0,
  maxTokens: 8,
};
// With these weights and greedy sampling this prompt generates several hundred tokens.
const long: LlmRequest = { messages: [{ role: 'user', content: 'Tell me a long story' }], temperature: 0, maxTokens: 1500 };

describeLlmContract('llama (tiny random GGUF)', {
  provider: () => provider,
  exactUsage: true,
  textCase: () => short,
  longCase: () => long,
  toolCallCase: {
    unsupported: 'a random-weight model never produces the function-call syntax; the history mapping is tested below',
  },
  failureCase: {
    arrange() {
      // A truncated copy: right header, missing metadata and tensors; llama.cpp refuses it.
      const prepared = (async () => {
        const dir = await mkdtemp(path.join(tmpdir(), 'coach-hub-broken-'));
        scratchDirs.push(dir);
        const broken = path.join(dir, 'truncated.gguf');
        await writeFile(broken, (await readFile(gguf.path)).subarray(0, 5_000));
        return createLlamaProvider({ modelPath: broken, logger });
      })();
      return { provider: prepared, request: short };
    },
    kind: 'model_load',
    retryable: false,
  },
  async assertUpstreamStopped() {
    // Calls share one sequence and run one at a time: if the cancelled generation were still
    // running (~0.5 s for this prompt) the next call would wait for it.
    const started = performance.now();
    for await (const event of provider.stream(
      { ...short, tools: [], temperature: 0, maxTokens: 4, timeoutMs: 10_000 },
      { feature: 'probe', signal: new AbortController().signal },
    )) {
      void event;
    }
    expect(performance.now() - started).toBeLessThan(300);
  },
});

describe('llama provider', () => {
  it('maps the tool-call round trip onto node-llama-cpp function-call items', () => {
    const history = toLlamaHistory([
      { role: 'system', content: 'You are a kiosk.' },
      { role: 'user', content: 'Hours?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'c1', name: 'get_hours', arguments: '{"day":"monday"}' }] },
      { role: 'tool', toolCallId: 'c1', content: '{"open":"6h"}' },
      { role: 'tool', toolCallId: 'unknown', content: 'orphan' },
    ]);
    expect(history).toEqual([
      { type: 'system', text: 'You are a kiosk.' },
      { type: 'user', text: 'Hours?' },
      { type: 'model', response: ['Checking.', { type: 'functionCall', name: 'get_hours', params: { day: 'monday' }, result: { open: '6h' } }] },
      { type: 'user', text: 'Tool result: orphan' },
    ]);
    expect(toLlamaFunctions([])).toBeUndefined();
    expect(toLlamaFunctions([{ name: 'get_hours', description: 'Hours', parameters: { type: 'object', properties: {} } }])).toEqual({
      get_hours: { description: 'Hours', params: { type: 'object', properties: {} } },
    });
  });

  it('rejects a file that is not GGUF before node-llama-cpp reads it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coach-hub-broken-'));
    const file = path.join(dir, 'fake.gguf');
    await writeFile(file, 'GGUF but not really');
    await expect(assertGgufHeader(file)).rejects.toThrow(/not a GGUF v2\/v3 file/);
    await expect(assertGgufHeader(gguf.path)).resolves.toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams several deltas, honours maxTokens and counts tokens with the model tokenizer', async () => {
    const events = [];
    for await (const event of provider.stream(
      { ...short, tools: [], temperature: 0, maxTokens: 8, timeoutMs: 10_000 },
      { feature: 'test', signal: new AbortController().signal },
    )) {
      events.push(event);
    }
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.result.finishReason).toBe('length');
    expect(done.result.usage.outputTokens).toBe(8);
    // The same prompt again reuses the evaluated prefix, but usage still reports the whole prompt.
    const again = [];
    for await (const event of provider.stream(
      { ...short, tools: [], temperature: 0, maxTokens: 8, timeoutMs: 10_000 },
      { feature: 'test', signal: new AbortController().signal },
    )) {
      again.push(event);
    }
    const doneAgain = again.at(-1);
    expect(doneAgain?.type === 'done' && doneAgain.result.usage.inputTokens).toBe(done.result.usage.inputTokens);
    expect(doneAgain?.type === 'done' && doneAgain.result.text).toBe(done.result.text);
  });

  it('is what AI_PROVIDER=auto picks when a GGUF file sits in MODELS_DIR', async () => {
    const config = llmConfigSchema.parse({ MODELS_DIR: gguf.dir, LLM_MAX_TOKENS: '6', LLM_TEMPERATURE: '0' });
    const sink = new MemoryUsageSink();
    const llm = await createLlm(config, { usage: sink, logger });
    try {
      expect(llm.info()).toEqual({ provider: 'llama', model: 'tiny-llama', offline: false, fallback: ['offline'] });
      const result = await llm.complete({ messages: short.messages }, { feature: 'auto-test' });
      expect(result.provider).toBe('llama');
      expect(result.usage.outputTokens).toBeLessThanOrEqual(6);
    } finally {
      await llm.close();
    }
    expect(sink.records).toMatchObject([{ provider: 'llama', model: 'tiny-llama', feature: 'auto-test', outcome: 'ok' }]);
  }, 30_000);
});

describe('llama provider: structured output', () => {
  it('generates under a grammar built from the JSON schema, so even random weights write valid JSON', async () => {
    const schema = {
      type: 'object',
      properties: { verdict: { type: 'string', enum: ['met', 'not_met'] }, level: { anyOf: [{ type: 'integer', enum: [0, 1, 2, 3, 4] }, { type: 'null' }] } },
      required: ['verdict', 'level'],
      additionalProperties: false,
    };
    let text = '';
    for await (const event of provider.stream(
      { ...short, tools: [], temperature: 0, maxTokens: 60, timeoutMs: 20_000, responseFormat: { type: 'json_schema', name: 'verdict', schema } },
      { feature: 'test', signal: new AbortController().signal },
    )) {
      if (event.type === 'text') text += event.delta;
    }
    const parsed = JSON.parse(text) as { verdict: string; level: number | null };
    expect(['met', 'not_met']).toContain(parsed.verdict);
    expect([0, 1, 2, 3, 4, null]).toContain(parsed.level);
  }, 30_000);
});
