import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAiServer } from '../../../tests/fakes/openai-server.js';
import { llmConfigSchema } from '../../config/llm-config.js';
import { createLlm } from './create-llm.js';
import { MemoryUsageSink } from './memory-usage-sink.js';
import type { UsageRecord } from './types.js';

let fake: FakeOpenAiServer;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const noFiles = { isFile: () => false, listDir: () => [] };
const silent = pino({ level: 'silent' });
const ctx = { feature: 'chat', userId: 'u1', organizationId: 'o1' };
const settled = () => new Promise((resolve) => setImmediate(resolve));

function config(env: Record<string, string>) {
  return llmConfigSchema.parse({ OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-x', LLM_MAX_RETRIES: '0', ...env });
}

describe('fallback chain (openai → offline)', () => {
  it('answers from the offline engine when openai is unavailable, and meters both attempts', async () => {
    const sink = new MemoryUsageSink();
    const llm = await createLlm(config({}), { usage: sink, logger: silent, fs: noFiles });
    expect(llm.info()).toEqual({ provider: 'openai', model: 'gpt-4o-mini', offline: false, fallback: ['offline'] });
    fake.enqueue({ kind: 'error', status: 503 });
    const result = await llm.complete({ messages: [{ role: 'user', content: 'I feel nervous about my first date' }], agent: { kind: 'chat' } }, ctx);
    expect(result.provider).toBe('offline');
    expect(result.text).toMatch(/nervous|breath/i);
    await llm.close();
    expect(sink.records.map((r: UsageRecord) => [r.provider, r.outcome, r.errorCode])).toEqual([
      ['openai', 'error', 'server'],
      ['offline', 'ok', undefined],
    ]);
  });

  it('falls back on a bad key (auth) too, but not on a request the upstream rejected as invalid', async () => {
    const llm = await createLlm(config({}), { usage: new MemoryUsageSink(), logger: silent, fs: noFiles });
    fake.enqueue({ kind: 'error', status: 401 });
    expect((await llm.complete({ messages: [{ role: 'user', content: 'hi' }] }, ctx)).provider).toBe('offline');
    fake.enqueue({ kind: 'error', status: 400 });
    await expect(llm.complete({ messages: [{ role: 'user', content: 'hi' }] }, ctx)).rejects.toMatchObject({ kind: 'bad_request' });
    await llm.close();
  });

  it('does not fall back after text was streamed, nor when the caller aborted', async () => {
    const llm = await createLlm(config({ LLM_TIMEOUT_MS: '100' }), { usage: new MemoryUsageSink(), logger: silent, fs: noFiles });
    fake.enqueue({ kind: 'completion', content: ['Hello', ' there'], stallAfterChunks: 1 });
    await expect(llm.complete({ messages: [{ role: 'user', content: 'hi' }] }, ctx)).rejects.toMatchObject({ kind: 'timeout' });

    fake.enqueue({ kind: 'stall' });
    const controller = new AbortController();
    const pending = llm.complete({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal, timeoutMs: 10_000 }, ctx);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await fake.waitForDisconnect();
    await llm.close();
  });

  it('uses AI_FALLBACK=none to fail instead', async () => {
    const llm = await createLlm(config({ AI_FALLBACK: 'none' }), { usage: new MemoryUsageSink(), logger: silent, fs: noFiles });
    expect(llm.info().fallback).toEqual([]);
    fake.enqueue({ kind: 'error', status: 500 });
    await expect(llm.complete({ messages: [{ role: 'user', content: 'hi' }] }, ctx)).rejects.toMatchObject({
      name: 'ProviderError',
      provider: 'openai',
      retryable: true,
      status: 500,
    });
    await llm.close();
  });
});

describe('metering and logging', () => {
  it('a failing usage sink never breaks the call; the failure is logged at warn', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(JSON.parse(String(chunk)));
          callback();
        },
      }),
    );
    const failingSink = { record: async () => Promise.reject(new Error('db down')) };
    const llm = await createLlm(llmConfigSchema.parse({}), { usage: failingSink, logger, fs: noFiles });
    const result = await llm.complete({ messages: [{ role: 'user', content: 'My secret crush is Sam from accounting' }] }, ctx);
    expect(result.text.length).toBeGreaterThan(0);
    await llm.close();
    await settled();
    expect(lines.some((line) => line.level === 40 && /metering failed/.test(line.msg))).toBe(true);
    // Prompts never reach the logs at info level.
    expect(JSON.stringify(lines)).not.toContain('Sam from accounting');
  });

  it('a sink that throws synchronously is handled the same way', async () => {
    const throwingSink = {
      record: (): Promise<void> => {
        throw new Error('sync failure');
      },
    };
    const llm = await createLlm(llmConfigSchema.parse({}), { usage: throwingSink, logger: silent, fs: noFiles });
    await expect(llm.complete({ messages: [{ role: 'user', content: 'hello' }] }, ctx)).resolves.toMatchObject({ provider: 'offline' });
    await llm.close();
  });
});
