import { z } from 'zod';

/**
 * Evaluation of a coaching conversation (roleplay simulator, voice interviews): a rubric
 * scorecard with evidence quoted from the transcript, and delivery metrics computed from the
 * turns' timestamps. See docs/evaluation.md.
 */

export const EVALUATION_KINDS = ['roleplay', 'interview'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

export const EVALUATION_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** `llm`: judged by a model with structured output; `heuristic`: keyword and pattern rules (offline engine, or the model's answer was unusable). */
export const EVALUATION_METHODS = ['llm', 'heuristic'] as const;
export type EvaluationMethod = (typeof EVALUATION_METHODS)[number];

/** Why a scorecard is heuristic: no model configured, the model's JSON was invalid twice, or the provider failed. */
export const HEURISTIC_REASONS = ['offline_engine', 'invalid_output', 'provider_error'] as const;
export type HeuristicReason = (typeof HEURISTIC_REASONS)[number];

export const EVALUATION_LANGUAGES = ['fr', 'en'] as const;
export type EvaluationLanguage = (typeof EVALUATION_LANGUAGES)[number];

export const CRITERION_KINDS = ['yes_no', 'scale'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** Levels of a `scale` criterion, 0 (absent) … 4 (excellent). */
export const SCALE_LEVELS = [0, 1, 2, 3, 4] as const;
export type ScaleLevel = (typeof SCALE_LEVELS)[number];

/**
 * Built-in detectors the offline heuristics know (in English and French), usable as hints on any
 * criterion. Countable ones find sentences; `star`, `depth` and `communication` compute a level.
 */
export const CRITERION_SIGNALS = [
  'questions', // the speaker asks questions
  'figures', // numbers, percentages, amounts
  'acknowledgement', // acknowledges the other side ("I understand", "je comprends")
  'closing', // proposes a next step, a meeting, a decision
  'reasoning', // gives reasons ("because", "parce que")
  'examples', // gives examples ("for example", "par exemple", "in my last project")
  'star', // Situation, Task, Action, Result markers in one answer (level = components found)
  'depth', // substantive answers: length, reasons, examples, figures
  'communication', // delivery metrics: fillers, pace, monologues, answer length
] as const;
export type CriterionSignal = (typeof CRITERION_SIGNALS)[number];

const ZText = (max: number) => z.string().trim().min(1).max(max);

/** A text in the rubric's language, or in French and/or English. */
export const ZLocalizedText = z.union([
  ZText(500),
  z
    .object({ fr: ZText(500).optional(), en: ZText(500).optional() })
    .refine((t) => t.fr !== undefined || t.en !== undefined, 'needs fr or en'),
]);
export type LocalizedText = z.infer<typeof ZLocalizedText>;

const ZTerm = ZText(100);
/** Terms for the heuristics: one list, or lists per language (all lists are matched, whatever the transcript's language). */
export const ZTermList = z.union([z.array(ZTerm).max(50), z.object({ fr: z.array(ZTerm).max(50).optional(), en: z.array(ZTerm).max(50).optional() })]);
export type TermList = z.infer<typeof ZTermList>;

/**
 * Why a heuristic pattern is refused (undefined when it is fine). Patterns are regular
 * expressions matched case-insensitively against short windows of a turn (accents stripped);
 * rubrics can come from API clients, so the shapes of catastrophic backtracking are refused:
 * backreferences and lookbehind, more than 3 unbounded quantifiers (`+`, `*`, `{n,}`), and a
 * repeated group that itself contains a quantifier or an alternation (`(a+)+`, `(a|ab)*`).
 */
export function unsafePatternReason(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'must not use backreferences';
  if (/\(\?<[=!]/.test(source)) return 'must not use lookbehind';
  try {
    new RegExp(source, 'iu');
  } catch {
    return 'is not a valid regular expression';
  }
  /** Whether the quantifier at `at` repeats without a small bound (`+`, `*`, `{n,}`, `{n,m}` with m > 10). */
  const repeats = (at: number): boolean => {
    const next = source[at];
    if (next === '+' || next === '*') return true;
    const bounds = next === '{' ? /^\{(\d*),(\d*)\}/.exec(source.slice(at)) : null;
    return bounds !== null && (bounds[2] === '' || Number(bounds[2]) > 10);
  };
  // For each open group: does it contain a quantifier or an alternation (nested groups included)?
  const groups: boolean[] = [];
  const markRisky = (): void => {
    if (groups.length > 0) groups[groups.length - 1] = true;
  };
  let unbounded = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      i++; // an escaped character is an atom
    } else if (inClass) {
      if (char === ']') inClass = false;
      continue; // a class is an atom; its quantifier is read after the closing bracket
    } else if (char === '[') {
      inClass = true;
      continue;
    } else if (char === '(') {
      groups.push(false);
      if (source[i + 1] === '?') i += source[i + 2] === '<' ? source.indexOf('>', i) - i : 2; // (?: (?= (?! (?<name>
      continue;
    } else if (char === '|') {
      markRisky();
      continue;
    } else if (char === ')') {
      const risky = groups.pop() ?? false;
      if (risky && repeats(i + 1)) return 'must not repeat a group that contains a quantifier or an alternation';
      if (risky) markRisky();
    } else if ('+*?{'.includes(char)) {
      continue; // a quantifier, already seen from its atom
    }
    // `i` is the last character of an atom: is it quantified?
    const next = source[i + 1] ?? '';
    if ('+*?{'.includes(next)) markRisky();
    if (repeats(i + 1)) unbounded++;
  }
  if (unbounded > 3) return 'must not use more than 3 unbounded quantifiers';
  return undefined;
}

export const ZPattern = ZText(200).superRefine((source, ctx) => {
  const reason = unsafePatternReason(source);
  if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
});
export const ZPatternList = z.union([z.array(ZPattern).max(20), z.object({ fr: z.array(ZPattern).max(20).optional(), en: z.array(ZPattern).max(20).optional() })]);

/** The published meaning of one level of a `scale` criterion. */
export const ZLevelMeaning = z.object({
  level: z.literal(SCALE_LEVELS),
  label: ZLocalizedText,
  description: ZLocalizedText.optional(),
});

export const ZCriterion = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a lowercase slug (a-z, 0-9, _ and -)'),
    label: ZLocalizedText,
    description: ZLocalizedText.optional(),
    weight: z.number().positive().max(100).default(1),
    kind: z.enum(CRITERION_KINDS),
    /** `scale` only: the meaning of levels 0–4 (default: the generic meanings of docs/evaluation.md). */
    levels: z.array(ZLevelMeaning).length(5).optional(),
    /** Heuristic hints (offline engine, fallback); a model reads the label, description and levels. */
    keywords: ZTermList.optional(),
    patterns: ZPatternList.optional(),
    signals: z.array(z.enum(CRITERION_SIGNALS)).max(CRITERION_SIGNALS.length).optional(),
    /** Whose turns the heuristics read (default: the user being coached). */
    speaker: z.enum(['user', 'assistant']).default('user'),
    /** Distinct matches for the criterion to be met (yes_no, default 1) or at level 4 (scale, default 4). */
    expectedMatches: z.number().int().min(1).max(20).optional(),
  })
  .superRefine((criterion, ctx) => {
    if (criterion.levels !== undefined) {
      if (criterion.kind !== 'scale') ctx.addIssue({ code: 'custom', path: ['levels'], message: 'only a scale criterion has levels' });
      else if (new Set(criterion.levels.map((l) => l.level)).size !== 5) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'must describe each level 0–4 once' });
    }
  });
export type Criterion = z.output<typeof ZCriterion>;
export type CriterionInput = z.input<typeof ZCriterion>;

export const ZRubric = z
  .object({
    id: z.string().trim().min(1).max(64),
    title: ZLocalizedText.optional(),
    language: z.enum(EVALUATION_LANGUAGES),
    criteria: z.array(ZCriterion).min(1).max(20),
  })
  .refine((rubric) => new Set(rubric.criteria.map((c) => c.id)).size === rubric.criteria.length, { message: 'criterion ids must be unique', path: ['criteria'] });
export type Rubric = z.output<typeof ZRubric>;
/** What callers write (weights and speakers have defaults). */
export type RubricInput = z.input<typeof ZRubric>;

// --- results -------------------------------------------------------------------------------------

/** A quote linked to a transcript turn: `quote` is an exact substring of that turn's text. */
export const ZEvidence = z.object({
  itemId: z.string(),
  speaker: z.enum(['user', 'assistant']),
  quote: z.string(),
  startMs: z.number(),
});
export type Evidence = z.infer<typeof ZEvidence>;

export const ZCriterionResult = z.object({
  id: z.string(),
  label: z.string().describe('In the evaluation language'),
  kind: z.enum(CRITERION_KINDS),
  weight: z.number(),
  met: z.boolean().nullable().describe('yes_no criteria; null for scale'),
  level: z.number().int().min(0).max(4).nullable().describe('scale criteria (0–4); null for yes_no'),
  levelLabel: z.string().nullable().describe('The published meaning of the level'),
  value: z.number().min(0).max(1).describe('met = 1, not met = 0; a level counts level / 4'),
  rationale: z.string(),
  evidence: z.array(ZEvidence),
});
export type CriterionResult = z.infer<typeof ZCriterionResult>;

/** Interviews: one question the assistant asked, and how the answer did. */
export const ZQuestionAssessment = z.object({
  itemId: z.string().describe('The assistant turn that asked it'),
  question: z.string().describe('That turn’s text'),
  level: z.number().int().min(0).max(4),
  rationale: z.string(),
  evidence: z.array(ZEvidence).describe('Quotes of the answer'),
});
export type QuestionAssessment = z.infer<typeof ZQuestionAssessment>;

export const ZScorecard = z.object({
  rubricId: z.string(),
  kind: z.enum(EVALUATION_KINDS),
  language: z.enum(EVALUATION_LANGUAGES),
  method: z.enum(EVALUATION_METHODS),
  heuristicReason: z.enum(HEURISTIC_REASONS).nullable().describe('Why the scorecard is heuristic (null for llm)'),
  provider: z.string().nullable().describe('The LLM provider that answered (null when computed in-process)'),
  model: z.string().nullable(),
  score: z.number().int().min(0).max(100).describe('round(100 × Σ weight × value / Σ weight)'),
  criteria: z.array(ZCriterionResult),
  questions: z.array(ZQuestionAssessment).describe('Interviews: per-question assessment; empty for roleplay'),
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  droppedQuotes: z.number().int().min(0).describe('Quotes from the judge that were not in the quoted turn, dropped'),
});
export type Scorecard = z.infer<typeof ZScorecard>;

export const ZDeliveryMetrics = z.object({
  durationMs: z.number().describe('From the first turn’s start to the last turn’s end'),
  userSpeakingMs: z.number(),
  assistantSpeakingMs: z.number(),
  talkRatio: z.number().min(0).max(1).nullable().describe('userSpeakingMs / (userSpeakingMs + assistantSpeakingMs)'),
  userTurns: z.number().int(),
  assistantTurns: z.number().int(),
  userWords: z.number().int(),
  wordsPerMinute: z.number().nullable().describe('User words per minute of user speaking time'),
  fillers: z.object({
    count: z.number().int(),
    perMinute: z.number().nullable(),
    byWord: z.array(z.object({ word: z.string(), count: z.number().int() })),
  }),
  questionsAsked: z.number().int().describe('Questions in the user’s turns'),
  longestMonologue: z.object({ ms: z.number(), words: z.number().int(), itemIds: z.array(z.string()) }),
  interruptions: z.object({
    byUser: z.number().int().describe('User turns that started before the previous assistant turn ended'),
    byAssistant: z.number().int(),
  }),
  timeToFirstResponseMs: z
    .number()
    .nullable()
    .describe('End of the assistant’s first turn → start of the first user turn that began after it started; 0 when the user began before it ended; null without either'),
  averageAnswerWords: z.number().nullable(),
  averageAnswerMs: z.number().nullable(),
});
export type DeliveryMetrics = z.infer<typeof ZDeliveryMetrics>;

// --- HTTP ------------------------------------------------------------------------------------------

export const ZEvaluationSummary = z.object({
  id: z.string(),
  conversationId: z.string(),
  userId: z.string(),
  kind: z.enum(EVALUATION_KINDS),
  status: z.enum(EVALUATION_STATUSES),
  language: z.enum(EVALUATION_LANGUAGES),
  score: z.number().nullable(),
  method: z.enum(EVALUATION_METHODS).nullable(),
  run: z.number().int().describe('1 for the first evaluation, +1 per re-run'),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type EvaluationSummary = z.infer<typeof ZEvaluationSummary>;

export const ZEvaluation = ZEvaluationSummary.extend({
  rubric: ZRubric,
  scorecard: ZScorecard.nullable(),
  metrics: ZDeliveryMetrics.nullable(),
  error: z.string().nullable(),
});
export type Evaluation = z.infer<typeof ZEvaluation>;

export const ZEvaluationRunInput = z.strictObject({
  rubric: ZRubric.optional().describe('Default: the evaluation’s current rubric, or the built-in one for the kind'),
  kind: z.enum(EVALUATION_KINDS).optional().describe('Default: interview for interview conversations, else roleplay'),
  language: z.enum(EVALUATION_LANGUAGES).optional().describe('Language of rationales and advice; default: the rubric’s'),
});
export type EvaluationRunInput = z.infer<typeof ZEvaluationRunInput>;

export const ZEvaluationListQuery = z.object({
  kind: z.enum(EVALUATION_KINDS).optional(),
  status: z.enum(EVALUATION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type EvaluationListQuery = z.infer<typeof ZEvaluationListQuery>;

export const ZEvaluationList = z.object({ evaluations: z.array(ZEvaluationSummary), nextCursor: z.string().nullable() });
