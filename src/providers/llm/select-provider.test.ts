import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { llmConfigSchema } from '../../config/llm-config.js';
import { createLlm } from './create-llm.js';
import { MemoryUsageSink } from './memory-usage-sink.js';
import { OFFLINE_MODEL } from './offline/engine.js';
import { selectProviders, type FileSystemProbe } from './select-provider.js';

function files(paths: string[]): FileSystemProbe {
  const normalized = paths.map((p) => path.normalize(p));
  return {
    isFile: (file) => normalized.includes(path.normalize(file)),
    listDir: (dir) => normalized.filter((p) => path.dirname(p) === path.normalize(dir)).map((p) => path.basename(p)),
  };
}
const parse = (env: Record<string, string>) => llmConfigSchema.parse(env);

describe('llmConfigSchema', () => {
  it('applies defaults and treats empty strings as unset', () => {
    const config = parse({ OPENAI_API_KEY: '', LLM_MAX_TOKENS: '', AI_PROVIDER: '', OPENAI_BASE_URL: ' ' });
    expect(config).toEqual({
      AI_PROVIDER: 'auto',
      AI_FALLBACK: undefined,
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      OPENAI_MODEL: 'gpt-4o-mini',
      LLM_MAX_TOKENS: 1000,
      LLM_TEMPERATURE: 0.7,
      LLM_TIMEOUT_MS: 60_000,
      LLM_MAX_RETRIES: 2,
      LLM_MODEL_PATH: undefined,
      MODELS_DIR: './models',
      LLM_THREADS: undefined,
    });
  });

  it('coerces numbers and parses the fallback list', () => {
    const config = parse({ LLM_MAX_TOKENS: '250', LLM_TEMPERATURE: '0.2', AI_FALLBACK: 'llama, offline' });
    expect(config.LLM_MAX_TOKENS).toBe(250);
    expect(config.LLM_TEMPERATURE).toBe(0.2);
    expect(config.AI_FALLBACK).toEqual(['llama', 'offline']);
    expect(parse({ AI_FALLBACK: 'none' }).AI_FALLBACK).toEqual([]);
  });

  it('names the bad variable', () => {
    const bad = (env: Record<string, string>) => llmConfigSchema.safeParse(env).error?.issues.map((issue) => issue.path.join('.'));
    expect(bad({ AI_PROVIDER: 'gpt' })).toEqual(['AI_PROVIDER']);
    expect(bad({ LLM_TEMPERATURE: '3' })).toEqual(['LLM_TEMPERATURE']);
    expect(bad({ AI_FALLBACK: 'offline,claude' })).toEqual(['AI_FALLBACK']);
    expect(bad({ OPENAI_BASE_URL: 'not a url' })).toEqual(['OPENAI_BASE_URL']);
  });
});

describe('selectProviders', () => {
  it('auto: openai when a key is set, with the offline fallback', () => {
    expect(selectProviders(parse({ OPENAI_API_KEY: 'sk' }), files([]))).toMatchObject({ primary: 'openai', fallback: ['offline'] });
  });

  it('auto: openai for a keyless OpenAI-compatible server (Ollama)', () => {
    expect(selectProviders(parse({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }), files([])).primary).toBe('openai');
  });

  it('auto: llama with the first GGUF in MODELS_DIR, else offline with no fallback', () => {
    const fs = files(['./models/b.gguf', './models/a.GGUF', './models/readme.txt']);
    expect(selectProviders(parse({}), fs)).toMatchObject({ primary: 'llama', modelPath: 'models/a.GGUF', fallback: ['offline'] });
    expect(selectProviders(parse({}), files([]))).toMatchObject({ primary: 'offline', fallback: [] });
  });

  it('prefers LLM_MODEL_PATH', () => {
    const fs = files(['/srv/m.gguf', './models/a.gguf']);
    expect(selectProviders(parse({ LLM_MODEL_PATH: '/srv/m.gguf' }), fs).modelPath).toBe('/srv/m.gguf');
  });

  it('fails fast when an explicit provider cannot run, naming the variable', () => {
    expect(() => selectProviders(parse({ AI_PROVIDER: 'openai' }), files([]))).toThrow(/OPENAI_API_KEY/);
    expect(() => selectProviders(parse({ AI_PROVIDER: 'llama' }), files([]))).toThrow(/LLM_MODEL_PATH/);
    expect(() => selectProviders(parse({ AI_PROVIDER: 'llama', LLM_MODEL_PATH: '/nope.gguf' }), files([]))).toThrow(/not a file/);
  });

  it('skips fallback entries that cannot run and never repeats the primary', () => {
    const plan = selectProviders(parse({ OPENAI_API_KEY: 'sk', AI_FALLBACK: 'openai,llama,offline' }), files([]));
    expect(plan.fallback).toEqual(['offline']);
    expect(plan.skipped).toEqual([{ provider: 'llama', reason: 'no GGUF model found' }]);
  });
});

describe('createLlm with zero configuration', () => {
  it('runs the offline engine, labelled as such', async () => {
    const llm = await createLlm(parse({}), { usage: new MemoryUsageSink(), logger: pino({ level: 'silent' }), fs: files([]) });
    expect(llm.info()).toEqual({ provider: 'offline', model: OFFLINE_MODEL, offline: true, fallback: [] });
    const result = await llm.complete({ messages: [{ role: 'user', content: 'Bonjour !' }] }, { feature: 'chat' });
    expect(result).toMatchObject({ provider: 'offline', finishReason: 'stop' });
    expect(result.text).toMatch(/Bonjour/);
    await llm.close();
  });

  it('rejects an empty message list as a validation error', async () => {
    const llm = await createLlm(parse({}), { usage: new MemoryUsageSink(), logger: pino({ level: 'silent' }), fs: files([]) });
    await expect(llm.complete({ messages: [] }, { feature: 'chat' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
