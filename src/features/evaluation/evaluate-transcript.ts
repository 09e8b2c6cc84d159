import type { Logger } from 'pino';
import type { DeliveryMetrics, EvaluationKind, EvaluationLanguage, HeuristicReason, Rubric, Scorecard } from '../../shared/api/evaluation.js';
import { isAbortError, type ChatMessage, type JsonResponseFormat, type LlmCallContext, type LlmResult, type LlmService } from '../../providers/llm/index.js';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import { heuristicJudgement } from './heuristic-judge.js';
import { buildJudgeMessages } from './judge-prompt.js';
import { clip, judgeJsonSchema, parseJudgeOutput, type JudgeParse } from './judge-output.js';
import { buildScorecard } from './scorecard.js';
import type { EvaluationTurn } from './transcript.js';

/** Enough for a 20-criterion rubric with quotes and a dozen interview questions. */
const JUDGE_MAX_TOKENS = 6000;
const ATTEMPTS = 2;

export interface TranscriptEvaluationInput {
  llm: LlmService;
  rubric: Rubric;
  kind: EvaluationKind;
  language: EvaluationLanguage;
  turns: readonly EvaluationTurn[];
  /** Who the LLM call is for (usage metering). */
  ctx: LlmCallContext;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface TranscriptEvaluation {
  scorecard: Scorecard;
  metrics: DeliveryMetrics;
}

/**
 * Evaluates a transcript: delivery metrics (no model), then the scorecard from the LLM judge with
 * structured output, validated with zod; an invalid answer is retried once with the problem
 * stated, then the offline heuristics answer (`method: 'heuristic'`). The offline engine answers
 * the heuristics itself, so without a model the result is the same, labelled heuristic.
 */
export async function evaluateTranscript(input: TranscriptEvaluationInput): Promise<TranscriptEvaluation> {
  const { llm, rubric, kind, language, turns } = input;
  const metrics = computeDeliveryMetrics(turns);
  const heuristic = heuristicJudgement({ rubric, kind, language, turns, metrics });
  const scorecard = (output: typeof heuristic, judge: { method: 'llm' | 'heuristic'; reason: HeuristicReason | null; provider: string | null; model: string | null }): Scorecard =>
    buildScorecard({ rubric, kind, language, turns, output, method: judge.method, heuristicReason: judge.reason, provider: judge.provider, model: judge.model });
  const fallback = (reason: HeuristicReason): TranscriptEvaluation => ({ metrics, scorecard: scorecard(heuristic, { method: 'heuristic', reason, provider: null, model: null }) });

  const responseFormat: JsonResponseFormat = {
    type: 'json_schema',
    name: 'evaluation_scorecard',
    description: 'Rubric scorecard with quotes from the transcript',
    schema: judgeJsonSchema(rubric),
    offlineAnswer: heuristic,
  };
  let messages: ChatMessage[] = buildJudgeMessages({ rubric, kind, language, turns });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let result: LlmResult;
    try {
      result = await llm.complete({ messages, responseFormat, temperature: 0, maxTokens: JUDGE_MAX_TOKENS, language, ...(input.signal ? { signal: input.signal } : {}) }, input.ctx);
    } catch (error) {
      if (isAbortError(error) || input.signal?.aborted) throw error;
      input.logger?.warn({ err: error, attempt }, 'evaluation judge unavailable; using the heuristics');
      return fallback('provider_error');
    }
    const parsed: JudgeParse = result.finishReason === 'length' ? { ok: false, problem: 'the answer was cut short (too long)' } : parseJudgeOutput(result.text, rubric, kind);
    if (parsed.ok) {
      if (result.provider !== 'offline') return { metrics, scorecard: scorecard(parsed.output, { method: 'llm', reason: null, provider: result.provider, model: result.model }) };
      // The offline engine answered our own heuristics: as the configured engine, or as the fallback of a failed model.
      const reason: HeuristicReason = llm.info().provider === 'offline' ? 'offline_engine' : 'provider_error';
      return { metrics, scorecard: scorecard(parsed.output, { method: 'heuristic', reason, provider: result.provider, model: result.model }) };
    }
    input.logger?.warn({ attempt, provider: result.provider, problem: parsed.problem }, 'evaluation judge answered invalid JSON');
    messages = [
      ...messages,
      { role: 'assistant', content: clip(result.text, 4000) },
      { role: 'user', content: `That answer is not valid: ${parsed.problem}. Answer again with the JSON object only, following the rules.` },
    ];
  }
  return fallback('invalid_output');
}
