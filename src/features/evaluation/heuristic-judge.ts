import type { Criterion, DeliveryMetrics, EvaluationKind, EvaluationLanguage, Rubric, TermList } from '../../shared/api/evaluation.js';
import { countFillers } from './fillers.js';
import { HEURISTIC_TEXT, formatDuration, type HeuristicText } from './heuristic-text.js';
import type { JudgeCriterion, JudgeOutput, JudgeQuestion } from './judge-output.js';
import { isQuestion } from './questions.js';
import { levelLabel, localize } from './rubrics.js';
import { COMPUTED_SIGNALS, showsSignal, starComponentsOf, STAR_COMPONENTS, UNKNOWN_ANSWER, type CountableSignal, type StarComponent } from './signals.js';
import { foldText, round, sentenceWindows, termPattern, wordCount, type Window } from './text.js';
import type { EvaluationTurn } from './transcript.js';

/** At most this many quotes per criterion (STAR: one per part). */
const MAX_EVIDENCE = 3;

interface Located {
  turn: EvaluationTurn;
  window: Window;
  folded: string;
}

interface Claimed {
  met: boolean;
  level: number;
  rationale: string;
  evidence: Located[];
}

/** Sentence windows of every turn, folded once (the heuristics read each many times). */
class TranscriptIndex {
  readonly windows = new Map<string, Located[]>();
  constructor(readonly turns: readonly EvaluationTurn[]) {
    for (const turn of turns) this.windows.set(turn.itemId, sentenceWindows(turn.text).map((window) => ({ turn, window, folded: foldText(window.text) })));
  }
  of(turn: EvaluationTurn): Located[] {
    return this.windows.get(turn.itemId) ?? [];
  }
  /** Runs of consecutive turns of one speaker (for the user: answers), in order. */
  runs(speaker: EvaluationTurn['speaker']): EvaluationTurn[][] {
    const runs: EvaluationTurn[][] = [];
    let current: EvaluationTurn[] = [];
    for (const turn of this.turns) {
      if (turn.speaker === speaker) current.push(turn);
      else if (current.length > 0) {
        runs.push(current);
        current = [];
      }
    }
    if (current.length > 0) runs.push(current);
    return runs;
  }
}

const allTerms = (list: TermList | undefined): string[] => (list === undefined ? [] : Array.isArray(list) ? list : [...(list.en ?? []), ...(list.fr ?? [])]);

const STOPWORDS = new Set(
  'about after again against avant avoir being cette comme dans depuis doing during encore entre their there these those through under where which while would votre notre leurs quand avec pour sans sous leur elles ceux celle celles other others pendant after before should could'.split(' '),
);

/** Without hints, the content words of the label and description stand in as keywords. */
function labelTerms(criterion: Criterion): string[] {
  const text = foldText(`${localize(criterion.label, 'en')} ${localize(criterion.label, 'fr')} ${localize(criterion.description, 'en')} ${localize(criterion.description, 'fr')}`);
  return [...new Set(text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 6 && !STOPWORDS.has(word)))].slice(0, 12);
}

function compilePattern(source: string): RegExp | undefined {
  try {
    return new RegExp(source.normalize('NFD').replace(/\p{M}/gu, ''), 'iu');
  } catch {
    return undefined;
  }
}

/**
 * The offline judge: keyword, pattern and signal matching per criterion (in English and French),
 * STAR markers, answer depth and the delivery metrics, each result citing the sentences that
 * matched. Deterministic; answers in the same shape as the model judge.
 */
export function heuristicJudgement(input: { rubric: Rubric; kind: EvaluationKind; language: EvaluationLanguage; turns: readonly EvaluationTurn[]; metrics: DeliveryMetrics }): JudgeOutput {
  const { rubric, kind, language, metrics } = input;
  const t = HEURISTIC_TEXT[language];
  const index = new TranscriptIndex(input.turns);
  const criteria: JudgeCriterion[] = rubric.criteria.map((criterion) => {
    const claimed = judgeCriterion(criterion, index, metrics, t);
    return {
      id: criterion.id,
      met: criterion.kind === 'yes_no' ? claimed.met : null,
      level: criterion.kind === 'scale' ? (claimed.level as 0 | 1 | 2 | 3 | 4) : null,
      rationale: claimed.rationale,
      evidence: claimed.evidence.map(({ turn, window }) => ({ itemId: turn.itemId, quote: window.text })),
    };
  });
  const technicalTerms = rubric.criteria.flatMap((criterion) => allTerms(criterion.keywords)).map(termPattern);
  const questions = kind === 'interview' ? assessQuestions(index, technicalTerms, t) : [];
  const values = rubric.criteria.map((criterion, i) => ({ criterion, value: criterion.kind === 'yes_no' ? (criteria[i]!.met ? 1 : 0) : (criteria[i]!.level ?? 0) / 4 }));
  return { criteria, questions, ...advice(values, metrics, kind, language, t) };
}

function judgeCriterion(criterion: Criterion, index: TranscriptIndex, metrics: DeliveryMetrics, t: HeuristicText): Claimed {
  const signals = criterion.signals ?? [];
  const countable = signals.filter((signal): signal is CountableSignal => !COMPUTED_SIGNALS.has(signal));
  const keywords = allTerms(criterion.keywords);
  const patterns = allTerms(criterion.patterns);
  const fallback = keywords.length === 0 && patterns.length === 0 && signals.length === 0;
  const terms = fallback ? labelTerms(criterion) : keywords;

  const parts: Claimed[] = [];
  if (countable.length > 0 || terms.length > 0 || patterns.length > 0) {
    parts.push(countMatches(criterion, index, { signals: countable, terms, patterns, fallback }, t));
  }
  if (signals.includes('star')) parts.push(starStructure(index, criterion.speaker, t));
  if (signals.includes('depth')) parts.push(depth(index, criterion.speaker, t));
  if (signals.includes('communication')) parts.push(communication(index, metrics, t));

  const level = Math.round(parts.reduce((sum, part) => sum + part.level, 0) / Math.max(1, parts.length));
  const evidence = dedupe(parts.flatMap((part) => part.evidence)).slice(0, signals.includes('star') ? 4 : MAX_EVIDENCE);
  return { met: parts.length > 0 && parts.every((part) => part.met), level, rationale: parts.map((part) => part.rationale).join(' '), evidence };
}

function dedupe(located: Located[]): Located[] {
  const seen = new Set<string>();
  return located.filter(({ turn, window }) => {
    const key = `${turn.itemId}:${window.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Countable hints: a keyword counts once (the first sentence that has it); a pattern or a signal
 * counts once per sentence it matches. Met with `expectedMatches` (default 1); on a scale, level
 * 4 at `expectedMatches` (default 4).
 */
function countMatches(
  criterion: Criterion,
  index: TranscriptIndex,
  hints: { signals: CountableSignal[]; terms: string[]; patterns: string[]; fallback: boolean },
  t: HeuristicText,
): Claimed {
  const scope = index.turns.filter((turn) => turn.speaker === criterion.speaker).flatMap((turn) => index.of(turn));
  const hits: Located[] = [];
  const matchedTerms: string[] = [];
  for (const term of hints.terms) {
    const pattern = termPattern(term);
    const found = scope.find((located) => pattern.test(located.folded));
    if (found !== undefined) {
      matchedTerms.push(term);
      hits.push(found);
    }
  }
  const regexes = hints.patterns.map(compilePattern).filter((pattern): pattern is RegExp => pattern !== undefined);
  const sentenceHits = scope.filter((located) => regexes.some((pattern) => pattern.test(located.folded)) || hints.signals.some((signal) => showsSignal(signal, located.window, located.folded)));
  hits.push(...sentenceHits);
  const n = matchedTerms.length + sentenceHits.length;

  const what = [
    ...hints.signals.map((signal) => t.signal[signal]),
    ...(matchedTerms.length > 0 ? [`${hints.fallback ? t.labelWords : t.keywords}: ${matchedTerms.slice(0, 5).join(', ')}`] : hints.terms.length > 0 ? [hints.fallback ? t.labelWords : t.keywords] : []),
    ...(hints.patterns.length > 0 ? [t.patterns] : []),
  ].join(', ');
  const evidence = dedupe([...hits].sort((a, b) => a.turn.startMs - b.turn.startMs || a.window.start - b.window.start)).slice(0, MAX_EVIDENCE);
  if (criterion.kind === 'yes_no') {
    const expected = criterion.expectedMatches ?? 1;
    const met = n >= expected;
    return { met, level: met ? 4 : 0, rationale: met ? t.met(n, what) : t.notMet(n, expected, what), evidence };
  }
  const expected = criterion.expectedMatches ?? 4;
  const level = Math.min(4, Math.floor((4 * n) / expected));
  return { met: level >= 3, level, rationale: t.scale(level, Math.min(n, expected), expected, what), evidence };
}

/** STAR: the answer (run of turns) showing the most of Situation, Task, Action, Result; level = parts found. */
function starStructure(index: TranscriptIndex, speaker: EvaluationTurn['speaker'], t: HeuristicText): Claimed {
  let best: Map<StarComponent, Located> = new Map();
  for (const run of index.runs(speaker)) {
    const found = new Map<StarComponent, Located>();
    for (const located of run.flatMap((turn) => index.of(turn))) {
      for (const component of starComponentsOf(located.window, located.folded)) if (!found.has(component)) found.set(component, located);
    }
    if (found.size > best.size) best = found;
  }
  const parts = STAR_COMPONENTS.filter((component) => best.has(component));
  return { met: parts.length >= 3, level: parts.length, rationale: t.starLevel(parts.map((component) => t.star[component])), evidence: parts.map((component) => best.get(component)!) };
}

/** Depth: per answer, +1 at 25 words, +1 at 60, +1 for a reason, +1 for an example or figures; level = the mean. */
function depth(index: TranscriptIndex, speaker: EvaluationTurn['speaker'], t: HeuristicText): Claimed {
  const answers = index.runs(speaker).map((run) => {
    const located = run.flatMap((turn) => index.of(turn));
    const words = run.reduce((n, turn) => n + wordCount(turn.text), 0);
    const reason = located.find((l) => showsSignal('reasoning', l.window, l.folded));
    const example = located.find((l) => showsSignal('examples', l.window, l.folded) || showsSignal('figures', l.window, l.folded));
    const points = (words >= 25 ? 1 : 0) + (words >= 60 ? 1 : 0) + (reason ? 1 : 0) + (example ? 1 : 0);
    return { words, points, reason, example };
  });
  if (answers.length === 0) return { met: false, level: 0, rationale: t.depthLevel(0, 0, 0, 0), evidence: [] };
  const level = Math.round(answers.reduce((sum, a) => sum + a.points, 0) / answers.length);
  const evidence = [...answers]
    .sort((a, b) => b.points - a.points || b.words - a.words)
    .flatMap((a) => [a.reason, a.example].filter((l): l is Located => l !== undefined))
    .slice(0, MAX_EVIDENCE)
    .sort((a, b) => a.turn.startMs - b.turn.startMs);
  const avgWords = Math.round(answers.reduce((sum, a) => sum + a.words, 0) / answers.length);
  const reasons = answers.filter((a) => a.reason).length;
  const examples = answers.filter((a) => a.example).length;
  return { met: level >= 2, level, rationale: t.depthLevel(avgWords, reasons, examples, answers.length), evidence };
}

/** Delivery from the metrics: 4, minus fillers (over 3 and 6 per minute), an odd pace, a long monologue, terse answers. */
function communication(index: TranscriptIndex, metrics: DeliveryMetrics, t: HeuristicText): Claimed {
  let level = 4;
  const fillers = metrics.fillers.perMinute ?? 0;
  if (fillers > 3) level--;
  if (fillers > 6) level--;
  if (metrics.wordsPerMinute !== null && (metrics.wordsPerMinute < 90 || metrics.wordsPerMinute > 190)) level--;
  if (metrics.longestMonologue.ms > 120_000) level--;
  if (metrics.averageAnswerWords !== null && metrics.averageAnswerWords < 8) level--;
  if (metrics.userWords === 0) level = 0;
  level = Math.max(0, level);
  // Evidence: the user's sentences with the most fillers.
  const evidence = index.turns
    .filter((turn) => turn.speaker === 'user')
    .flatMap((turn) => index.of(turn))
    .map((located) => ({ located, count: countFillers(located.window.text).reduce((n, f) => n + f.count, 0) }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 2)
    .map((entry) => entry.located);
  return { met: level >= 3, level, rationale: t.communicationLevel(metrics.fillers.perMinute, metrics.wordsPerMinute, metrics.longestMonologue.ms), evidence };
}

/**
 * Interviews: each assistant turn that asks a question, and the user turns after it (up to the
 * next assistant turn) as its answer. Level 0 without an answer or for "I don't know"; else 1,
 * +1 at 25 words, +1 for a reason or an example, +1 for figures, expected terms or two STAR parts.
 */
function assessQuestions(index: TranscriptIndex, terms: RegExp[], t: HeuristicText): JudgeQuestion[] {
  const questions: JudgeQuestion[] = [];
  const turns = index.turns;
  turns.forEach((turn, i) => {
    if (turn.speaker !== 'assistant' || !index.of(turn).some((l) => isQuestion(l.window.text, l.folded))) return;
    const answer: EvaluationTurn[] = [];
    for (let j = i + 1; j < turns.length && turns[j]!.speaker === 'user'; j++) answer.push(turns[j]!);
    const located = answer.flatMap((a) => index.of(a));
    const words = answer.reduce((n, a) => n + wordCount(a.text), 0);
    if (words === 0) {
      questions.push({ itemId: turn.itemId, level: 0, rationale: t.noAnswer, evidence: [] });
      return;
    }
    const folded = located.map((l) => l.folded).join(' ');
    if (UNKNOWN_ANSWER.test(folded) && words < 15) {
      questions.push({ itemId: turn.itemId, level: 0, rationale: t.unknownAnswer, evidence: located.slice(0, 1).map((l) => ({ itemId: l.turn.itemId, quote: l.window.text })) });
      return;
    }
    const reason = located.find((l) => showsSignal('reasoning', l.window, l.folded));
    const example = located.find((l) => showsSignal('examples', l.window, l.folded));
    const figures = located.find((l) => showsSignal('figures', l.window, l.folded));
    const expected = located.find((l) => terms.some((pattern) => pattern.test(l.folded)));
    const star = new Set(located.flatMap((l) => starComponentsOf(l.window, l.folded))).size >= 2;
    const extras = [reason ? t.extras.reason : '', example ? t.extras.example : '', figures ? t.extras.figures : '', expected ? t.extras.terms : '', star ? t.extras.star : ''].filter(Boolean);
    const level = Math.min(4, 1 + (words >= 25 ? 1 : 0) + (reason || example ? 1 : 0) + (figures || expected || star ? 1 : 0));
    const longest = [...located].sort((a, b) => wordCount(b.window.text) - wordCount(a.window.text))[0];
    const support = dedupe([reason, example, figures, expected].filter((l): l is Located => l !== undefined));
    const quotes = (support.length > 0 ? support : longest ? [longest] : []).slice(0, 2);
    questions.push({ itemId: turn.itemId, level: level as 1 | 2 | 3 | 4, rationale: t.answer(words, extras), evidence: quotes.map((l) => ({ itemId: l.turn.itemId, quote: l.window.text })) });
  });
  return questions;
}

/** Strengths: criteria at 75 % or more (heaviest first), balanced talk, few fillers. Improvements: criteria at 50 % or less, fillers, talk share, monologues. */
function advice(
  values: { criterion: Criterion; value: number }[],
  metrics: DeliveryMetrics,
  kind: EvaluationKind,
  language: EvaluationLanguage,
  t: HeuristicText,
): { strengths: string[]; improvements: string[] } {
  const byWeight = [...values].sort((a, b) => b.criterion.weight - a.criterion.weight);
  const strengths = byWeight
    .filter((v) => v.value >= 0.75)
    .slice(0, 3)
    .map((v) => (v.criterion.kind === 'scale' ? `${localize(v.criterion.label, language)} — ${levelLabel(v.criterion, Math.round(v.value * 4), language)}` : localize(v.criterion.label, language)));
  const improvements = byWeight
    .filter((v) => v.value <= 0.5)
    .slice(0, 3)
    .map((v) => {
      const description = localize(v.criterion.description, language);
      return description === '' ? localize(v.criterion.label, language) : `${localize(v.criterion.label, language)} — ${description}`;
    });
  const percent = metrics.talkRatio === null ? null : Math.round(metrics.talkRatio * 100);
  const fillers = metrics.fillers.perMinute;
  if (percent !== null && percent >= 35 && percent <= 65 && kind === 'roleplay') strengths.push(t.strengthBalance(percent));
  if (fillers !== null && fillers < 1 && metrics.userWords >= 50) strengths.push(t.strengthFewFillers(fillers));
  if (fillers !== null && fillers > 4) {
    const top = metrics.fillers.byWord.slice(0, 3).map((f) => `${f.word} ×${f.count}`).join(', ');
    improvements.push(t.improveFillers(round(fillers), top));
  }
  if (percent !== null && kind === 'roleplay' && percent > 70) improvements.push(t.improveListen(percent));
  if (percent !== null && kind === 'interview' && percent < 30) improvements.push(t.improveDevelop(percent));
  if (metrics.longestMonologue.ms > 120_000) improvements.push(t.improveMonologue(formatDuration(metrics.longestMonologue.ms)));
  return { strengths, improvements };
}
