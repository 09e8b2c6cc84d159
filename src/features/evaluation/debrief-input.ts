import type { DeliveryMetrics, EvaluationLanguage, Scorecard } from '../../shared/api/evaluation.js';
import { formatDuration } from './heuristic-text.js';
import { clip } from './judge-output.js';

const QUOTES_PER_ITEM = 2;
const QUOTE_CHARS = 200;

const TEXT = {
  en: {
    colon: ': ',
    title: (score: number, rubric: string, method: string) => `Evaluation of the session: score ${score}/100 (rubric ${rubric}, ${method}).`,
    method: { llm: 'judged by the language model', heuristic: 'judged by keyword heuristics, approximate' },
    criteria: 'Criteria:',
    met: 'met',
    notMet: 'not met',
    level: (level: number, label: string | null) => `level ${level}/4${label ? ` (${label})` : ''}`,
    evidence: 'Evidence',
    questions: 'Interview questions:',
    answer: 'Answer',
    delivery: 'Delivery',
    talk: (p: number, who: string) => `${who} spoke ${p}% of the time`,
    who: { roleplay: 'the learner', interview: 'the candidate' },
    wpm: (w: number) => `${w} words per minute`,
    fillers: (n: number, perMinute: number | null, top: string) => `${n} filler words${perMinute !== null ? ` (${perMinute} per minute${top ? `: ${top}` : ''})` : ''}`,
    questionsAsked: (n: number) => `${n} questions asked`,
    monologue: (d: string) => `longest monologue ${d}`,
    interruptions: (user: number, assistant: number, who: string) => `interruptions: ${user} by ${who}, ${assistant} by the other side`,
    firstResponse: (d: string) => `first answer after ${d}`,
    answerLength: (w: number) => `answers of ${w} words on average`,
    strengths: 'Strengths:',
    improvements: 'To improve:',
  },
  fr: {
    colon: ' : ',
    title: (score: number, rubric: string, method: string) => `Évaluation de la séance : score ${score}/100 (grille ${rubric}, ${method}).`,
    method: { llm: 'évaluée par le modèle de langage', heuristic: 'évaluée par des heuristiques de mots-clés, approximative' },
    criteria: 'Critères :',
    met: 'atteint',
    notMet: 'non atteint',
    level: (level: number, label: string | null) => `niveau ${level}/4${label ? ` (${label})` : ''}`,
    evidence: 'Citations',
    questions: "Questions de l'entretien :",
    answer: 'Réponse',
    delivery: 'Expression',
    talk: (p: number, who: string) => `${who} a parlé ${p} % du temps`,
    who: { roleplay: "l'apprenant", interview: 'le candidat' },
    wpm: (w: number) => `${w} mots par minute`,
    fillers: (n: number, perMinute: number | null, top: string) => `${n} mots parasites${perMinute !== null ? ` (${perMinute} par minute${top ? ` : ${top}` : ''})` : ''}`,
    questionsAsked: (n: number) => `${n} questions posées`,
    monologue: (d: string) => `plus long monologue ${d}`,
    interruptions: (user: number, assistant: number, who: string) => `interruptions : ${user} par ${who}, ${assistant} par l'interlocuteur`,
    firstResponse: (d: string) => `première réponse après ${d}`,
    answerLength: (w: number) => `réponses de ${w} mots en moyenne`,
    strengths: 'Points forts :',
    improvements: 'À améliorer :',
  },
} as const;

const quoted = (quotes: readonly { quote: string }[]): string =>
  quotes
    .slice(0, QUOTES_PER_ITEM)
    .map((e) => `"${clip(e.quote.replace(/\s+/g, ' ').trim(), QUOTE_CHARS)}"`)
    .join(' · ');

/**
 * A scorecard and its metrics as plain text for a debrief coach's instructions (French or
 * English): score, each criterion with its result, rationale and quotes, interview questions,
 * delivery figures, strengths and what to improve. The quotes are the learner's own words, so
 * pass the text as a `context` block of `buildInstructions` (untrusted data), not as rules.
 */
export function renderDebriefInput(input: { scorecard: Scorecard; metrics: DeliveryMetrics }, language: EvaluationLanguage = input.scorecard.language): string {
  const { scorecard, metrics } = input;
  const t = TEXT[language];
  const who = t.who[scorecard.kind];
  const lines: string[] = [t.title(scorecard.score, scorecard.rubricId, t.method[scorecard.method]), '', t.criteria];
  for (const c of scorecard.criteria) {
    const result = c.kind === 'yes_no' ? (c.met ? t.met : t.notMet) : t.level(c.level ?? 0, c.levelLabel);
    lines.push(`- ${c.label}${t.colon}${result}.${c.rationale ? ` ${c.rationale}` : ''}`);
    if (c.evidence.length > 0) lines.push(`  ${t.evidence}${t.colon}${quoted(c.evidence)}`);
  }
  if (scorecard.questions.length > 0) {
    lines.push('', t.questions);
    for (const q of scorecard.questions) {
      lines.push(`- "${clip(q.question, QUOTE_CHARS)}"${t.colon}${t.level(q.level, null)}. ${q.rationale}`.trimEnd());
      if (q.evidence.length > 0) lines.push(`  ${t.answer}${t.colon}${quoted(q.evidence)}`);
    }
  }
  const delivery = [
    metrics.talkRatio !== null ? t.talk(Math.round(metrics.talkRatio * 100), who) : '',
    metrics.wordsPerMinute !== null ? t.wpm(metrics.wordsPerMinute) : '',
    t.fillers(metrics.fillers.count, metrics.fillers.perMinute, metrics.fillers.byWord.slice(0, 4).map((f) => `${f.word} ×${f.count}`).join(', ')),
    t.questionsAsked(metrics.questionsAsked),
    t.monologue(formatDuration(metrics.longestMonologue.ms)),
    t.interruptions(metrics.interruptions.byUser, metrics.interruptions.byAssistant, who),
    metrics.timeToFirstResponseMs !== null ? t.firstResponse(formatDuration(metrics.timeToFirstResponseMs)) : '',
    metrics.averageAnswerWords !== null ? t.answerLength(metrics.averageAnswerWords) : '',
  ].filter(Boolean);
  lines.push('', `${t.delivery}${t.colon}${delivery.join(' · ')}.`);
  if (scorecard.strengths.length > 0) lines.push('', t.strengths, ...scorecard.strengths.map((s) => `- ${s}`));
  if (scorecard.improvements.length > 0) lines.push('', t.improvements, ...scorecard.improvements.map((s) => `- ${s}`));
  return lines.join('\n');
}
