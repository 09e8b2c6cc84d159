import type { CriterionResult, EvaluationKind, EvaluationLanguage, EvaluationMethod, HeuristicReason, QuestionAssessment, Rubric, Scorecard } from '../../shared/api/evaluation.js';
import { verifyEvidence } from './evidence.js';
import { clip, type JudgeOutput } from './judge-output.js';
import { levelLabel, localize } from './rubrics.js';
import type { EvaluationTurn } from './transcript.js';

const MAX_EVIDENCE = 5;
const MAX_ADVICE = 5;
const MAX_ADVICE_CHARS = 300;

/** How much a criterion result is worth: met = 1, not met = 0, a level counts level / 4. */
export function criterionValue(result: { met: boolean | null; level: number | null }): number {
  if (result.level !== null) return Math.min(4, Math.max(0, result.level)) / 4;
  return result.met ? 1 : 0;
}

/** The total score 0–100: round(100 × Σ weight × value / Σ weight). */
export function totalScore(criteria: readonly { weight: number; value: number }[]): number {
  const weights = criteria.reduce((sum, c) => sum + c.weight, 0);
  if (weights <= 0) return 0;
  return Math.round((100 * criteria.reduce((sum, c) => sum + c.weight * c.value, 0)) / weights);
}

export interface ScorecardInput {
  rubric: Rubric;
  kind: EvaluationKind;
  language: EvaluationLanguage;
  turns: readonly EvaluationTurn[];
  output: JudgeOutput;
  method: EvaluationMethod;
  heuristicReason: HeuristicReason | null;
  provider: string | null;
  model: string | null;
}

/**
 * Turns a judge's answer into the scorecard: criteria in rubric order with labels in the
 * evaluation language, quotes kept only when they occur in the turn they name (the exact
 * substring of that turn), interview questions only when they name an assistant turn (whose
 * text is the question), and the weighted score computed here, never taken from the judge.
 */
export function buildScorecard(input: ScorecardInput): Scorecard {
  const { rubric, language, output } = input;
  const turns = new Map(input.turns.map((turn) => [turn.itemId, turn]));
  let droppedQuotes = 0;

  const criteria: CriterionResult[] = rubric.criteria.map((criterion) => {
    const judged = output.criteria.find((entry) => entry.id === criterion.id);
    const met = criterion.kind === 'yes_no' ? (judged?.met ?? false) : null;
    const level = criterion.kind === 'scale' ? (judged?.level ?? 0) : null;
    const { evidence, dropped } = verifyEvidence(judged?.evidence ?? [], turns, MAX_EVIDENCE);
    droppedQuotes += dropped;
    return {
      id: criterion.id,
      label: localize(criterion.label, language),
      kind: criterion.kind,
      weight: criterion.weight,
      met,
      level,
      levelLabel: level === null ? null : levelLabel(criterion, level, language),
      value: criterionValue({ met, level }),
      rationale: judged?.rationale ?? '',
      evidence,
    };
  });

  const questions: QuestionAssessment[] = [];
  if (input.kind === 'interview') {
    const seen = new Set<string>();
    for (const judged of output.questions) {
      const turn = turns.get(judged.itemId);
      if (turn === undefined || turn.speaker !== 'assistant' || seen.has(turn.itemId)) continue;
      seen.add(turn.itemId);
      const { evidence, dropped } = verifyEvidence(judged.evidence, turns, MAX_EVIDENCE);
      droppedQuotes += dropped;
      questions.push({ itemId: turn.itemId, question: turn.text, level: judged.level, rationale: judged.rationale, evidence });
    }
    questions.sort((a, b) => turns.get(a.itemId)!.startMs - turns.get(b.itemId)!.startMs);
  }

  const advice = (items: readonly string[]): string[] =>
    items
      .map((item) => clip(item.trim(), MAX_ADVICE_CHARS))
      .filter((item) => item !== '')
      .slice(0, MAX_ADVICE);
  return {
    rubricId: rubric.id,
    kind: input.kind,
    language,
    method: input.method,
    heuristicReason: input.method === 'heuristic' ? input.heuristicReason : null,
    provider: input.provider,
    model: input.model,
    score: totalScore(criteria),
    criteria,
    questions,
    strengths: advice(output.strengths),
    improvements: advice(output.improvements),
    droppedQuotes,
  };
}
