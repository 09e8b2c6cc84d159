/**
 * Evaluation time for a 10-minute transcript (140 turns) with the offline engine: the delivery
 * metrics alone, the heuristic judge alone (with the scorecard built from it), and the whole
 * `evaluateTranscript` through LlmService (offline provider + retries + metering + the JSON
 * round trip and zod validation) — what an evaluation job spends outside the database. Goal:
 * ≤ 200 ms p50 for the whole evaluation. Prints a markdown table.
 *
 *   npm run bench:evaluation            (BENCH_RUNS=200 to change the sample size)
 */
import pino from 'pino';
import { computeDeliveryMetrics } from '../src/features/evaluation/delivery-metrics.js';
import { evaluateTranscript } from '../src/features/evaluation/evaluate-transcript.js';
import { heuristicJudgement } from '../src/features/evaluation/heuristic-judge.js';
import { interviewRubric, roleplayRubric } from '../src/features/evaluation/rubrics.js';
import { buildScorecard } from '../src/features/evaluation/scorecard.js';
import { tenMinuteTranscript } from '../src/features/evaluation/test-transcripts.js';
import { wordCount } from '../src/features/evaluation/text.js';
import { createLlm, llmConfigSchema, MemoryUsageSink } from '../src/providers/llm/index.js';
import type { EvaluationKind, Rubric } from '../src/shared/api/evaluation.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARMUP = 20;

const turns = tenMinuteTranscript();
const durationMs = Math.max(...turns.map((t) => t.endMs)) - turns[0]!.startMs;
const userWords = turns.filter((t) => t.speaker === 'user').reduce((n, t) => n + wordCount(t.text), 0);
const llm = await createLlm(llmConfigSchema.parse({}), { usage: new MemoryUsageSink(), logger: pino({ level: 'silent' }) });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(run: () => unknown): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1)! };
}

const cases: Array<{ name: string; kind: EvaluationKind; rubric: Rubric }> = [
  { name: 'roleplay, built-in sales rubric (5 criteria)', kind: 'roleplay', rubric: roleplayRubric('fr') },
  { name: 'interview, built-in rubric + JavaScript terms (4 criteria, per-question)', kind: 'interview', rubric: interviewRubric('en', { technologies: ['javascript'] }) },
];

const rows: string[] = [];
for (const { name, kind, rubric } of cases) {
  const language = rubric.language;
  const metrics = await measure(() => computeDeliveryMetrics(turns));
  const heuristics = await measure(() => {
    const m = computeDeliveryMetrics(turns);
    const output = heuristicJudgement({ rubric, kind, language, turns, metrics: m });
    return buildScorecard({ rubric, kind, language, turns, output, method: 'heuristic', heuristicReason: 'offline_engine', provider: null, model: null });
  });
  const full = await measure(() => evaluateTranscript({ llm, rubric, kind, language, turns, ctx: { feature: 'bench' } }));
  const fmt = (r: { p50: number; p95: number; max: number }) => `${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)}`;
  rows.push(`| ${name} | metrics only | ${fmt(metrics)} |`);
  rows.push(`| ${name} | metrics + heuristic judge + scorecard | ${fmt(heuristics)} |`);
  rows.push(`| ${name} | **evaluateTranscript via the offline LlmService** | ${fmt(full)} |`);
}

console.log(`Node ${process.version}. Transcript: ${turns.length} turns, ${Math.round(durationMs / 1000)} s, ${userWords} user words; ${RUNS} runs after ${WARMUP} warm-up, times in ms.\n`);
console.log('| case | what | p50 | p95 | max |');
console.log('|---|---|---:|---:|---:|');
for (const row of rows) console.log(row);
await llm.close();
