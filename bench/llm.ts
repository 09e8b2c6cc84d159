/**
 * Overhead of the LLM layer: time to first token and total time of a streamed completion
 * through LlmService (openai provider + reliability + metering into an in-memory sink +
 * fallback wrapper) versus the same request made directly with the openai SDK and with raw
 * fetch, all against the loopback fake OpenAI server. Calls are interleaved so drift affects
 * every variant equally.
 *
 *   npm run bench:llm            (BENCH_CALLS=1000 to change the sample size)
 */
import OpenAI from 'openai';
import pino from 'pino';
import { startFakeOpenAi, splitWords } from '../tests/fakes/openai-server.js';
import { createLlm, llmConfigSchema, MemoryUsageSink } from '../src/providers/llm/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const WARMUP = 50;
const REPLY = splitWords('Sure! Here are three ideas to feel calmer before your date: breathe slowly, plan a topic, and smile.');
const MESSAGES = [
  { role: 'system' as const, content: 'You are a supportive coach.' },
  { role: 'user' as const, content: 'I am nervous about my date tonight.' },
];

interface Sample {
  ttftMs: number;
  totalMs: number;
}
type Runner = () => Promise<Sample>;

const fake = await startFakeOpenAi({ record: false });
fake.handler = () => ({ kind: 'completion', content: REPLY, usage: { prompt_tokens: 30, completion_tokens: 25 } });

const sdk = new OpenAI({ apiKey: 'sk-bench', baseURL: fake.baseURL, maxRetries: 0 });
const sink = new MemoryUsageSink();
const llm = await createLlm(
  llmConfigSchema.parse({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.baseURL, LLM_MAX_TOKENS: '200' }),
  { usage: sink, logger: pino({ level: 'silent' }) },
);

const viaService: Runner = async () => {
  const started = performance.now();
  let ttftMs = -1;
  for await (const event of llm.stream({ messages: MESSAGES }, { feature: 'bench', userId: 'u1' })) {
    if (event.type === 'text' && ttftMs < 0) ttftMs = performance.now() - started;
  }
  return { ttftMs, totalMs: performance.now() - started };
};

const viaSdk: Runner = async () => {
  const started = performance.now();
  let ttftMs = -1;
  const stream = await sdk.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: MESSAGES,
    max_tokens: 200,
    temperature: 0.7,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content && ttftMs < 0) ttftMs = performance.now() - started;
  }
  return { ttftMs, totalMs: performance.now() - started };
};

const viaFetch: Runner = async () => {
  const started = performance.now();
  let ttftMs = -1;
  const response = await fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      max_tokens: 200,
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 2);
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      const chunk = JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> };
      if (chunk.choices[0]?.delta.content && ttftMs < 0) ttftMs = performance.now() - started;
    }
  }
  return { ttftMs, totalMs: performance.now() - started };
};

const variants: Array<[string, Runner]> = [
  ['raw fetch', viaFetch],
  ['openai SDK direct', viaSdk],
  ['LlmService (openai + retries + metering + fallback)', viaService],
];
const samples = new Map<string, Sample[]>(variants.map(([name]) => [name, []]));

for (let i = 0; i < WARMUP; i++) for (const [, run] of variants) await run();
for (let i = 0; i < CALLS; i++) {
  for (const [name, run] of variants) samples.get(name)?.push(await run());
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const fmt = (ms: number) => ms.toFixed(3);
const stats = (name: string) => {
  const list = samples.get(name) ?? [];
  const ttft = list.map((s) => s.ttftMs);
  const total = list.map((s) => s.totalMs);
  return { ttft50: percentile(ttft, 50), ttft99: percentile(ttft, 99), total50: percentile(total, 50), total99: percentile(total, 99) };
};

const base = stats('openai SDK direct');
console.log(`\nLLM layer overhead — ${CALLS} streamed calls per variant (${REPLY.length} content chunks each), loopback fake OpenAI, Node ${process.version}\n`);
console.log('| variant | TTFT p50 (ms) | TTFT p99 (ms) | total p50 (ms) | total p99 (ms) |');
console.log('|---|---:|---:|---:|---:|');
for (const [name] of variants) {
  const s = stats(name);
  console.log(`| ${name} | ${fmt(s.ttft50)} | ${fmt(s.ttft99)} | ${fmt(s.total50)} | ${fmt(s.total99)} |`);
}
const service = stats('LlmService (openai + retries + metering + fallback)');
console.log(
  `\nAdded by LlmService over the SDK: TTFT p50 ${fmt(service.ttft50 - base.ttft50)} ms, total p50 ${fmt(service.total50 - base.total50)} ms ` +
    `(goal ≤ 2 ms at p50). Usage records written: ${sink.records.length}.`,
);

await llm.close();
await fake.close();
