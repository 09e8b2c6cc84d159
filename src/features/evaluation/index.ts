/**
 * Public API of the evaluation feature, for the roleplay simulator and voice interviews (see
 * docs/evaluation.md). Everything else in this folder is internal.
 */
export { createEvaluations, EVALUATION_JOB, type EvaluateInput, type EvaluationListener, type Evaluations, type EvaluationsDeps } from './evaluations.js';
export { evaluateTranscript, type TranscriptEvaluation, type TranscriptEvaluationInput } from './evaluate-transcript.js';
export { computeDeliveryMetrics } from './delivery-metrics.js';
export { countFillers, FILLERS, type Filler, type FillerCount } from './fillers.js';
export { heuristicJudgement } from './heuristic-judge.js';
export { locateQuote } from './evidence.js';
export { renderDebriefInput } from './debrief-input.js';
export { criterionValue, totalScore } from './scorecard.js';
export { defaultRubric, interviewRubric, parseRubric, roleplayRubric, TECHNOLOGY_TERMS } from './rubrics.js';
export { turnsFromItems, type EvaluationTurn } from './transcript.js';
export type {
  CriterionResult,
  DeliveryMetrics,
  Evaluation,
  EvaluationKind,
  EvaluationLanguage,
  EvaluationMethod,
  EvaluationStatus,
  Evidence,
  QuestionAssessment,
  Rubric,
  RubricInput,
  Scorecard,
} from '../../shared/api/evaluation.js';
