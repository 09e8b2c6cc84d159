import type { CriterionSignal, EvaluationLanguage } from '../../shared/api/evaluation.js';
import type { StarComponent } from './signals.js';

/** The words of the offline heuristics' rationales and advice, in French and English. */
export interface HeuristicText {
  signal: Record<CriterionSignal, string>;
  keywords: string;
  patterns: string;
  labelWords: string;
  star: Record<StarComponent, string>;
  and: string;
  met(n: number, what: string): string;
  notMet(n: number, expected: number, what: string): string;
  scale(level: number, n: number, expected: number, what: string): string;
  starLevel(parts: string[]): string;
  depthLevel(avgWords: number, reasons: number, examples: number, answers: number): string;
  communicationLevel(fillersPerMinute: number | null, wpm: number | null, longestMs: number): string;
  noAnswer: string;
  unknownAnswer: string;
  answer(words: number, extras: string[]): string;
  extras: { reason: string; example: string; figures: string; terms: string; star: string };
  strengthBalance(percent: number): string;
  strengthFewFillers(perMinute: number): string;
  improveFillers(perMinute: number, top: string): string;
  improveListen(percent: number): string;
  improveDevelop(percent: number): string;
  improveMonologue(duration: string): string;
}

const seconds = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ''}`.trim() : `${s} s`;
};
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const list = (items: string[], and: string): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`);

const EN: HeuristicText = {
  signal: {
    questions: 'questions asked',
    figures: 'figures',
    acknowledgement: 'acknowledging the other side',
    closing: 'a proposed next step',
    reasoning: 'reasons given',
    examples: 'examples',
    star: 'STAR structure',
    depth: 'depth of answers',
    communication: 'delivery',
  },
  keywords: 'keywords',
  patterns: 'patterns',
  labelWords: "the criterion's own words",
  star: { situation: 'Situation', task: 'Task', action: 'Action', result: 'Result' },
  and: 'and',
  met: (n, what) => `Met: ${plural(n, 'match', 'matches')} (${what}).`,
  notMet: (n, expected, what) => `Not met: ${n} of ${expected} expected (${what}).`,
  scale: (level, n, expected, what) => `Level ${level}: ${n} of ${expected} expected (${what}).`,
  starLevel: (parts) => (parts.length === 0 ? 'No answer shows a Situation, Task, Action or Result.' : `The best answer covers ${list(parts, 'and')} (${parts.length} of 4 STAR parts).`),
  depthLevel: (avg, reasons, examples, answers) => `Answers average ${avg} words; ${reasons} of ${answers} give a reason, ${examples} an example or figures.`,
  communicationLevel: (fillers, wpm, longest) =>
    `${fillers === null ? 'No' : fillers} filler words per minute, ${wpm === null ? 'unknown pace' : `${wpm} words per minute`}, longest monologue ${seconds(longest)}.`,
  noAnswer: 'No answer.',
  unknownAnswer: 'The answer says it does not know.',
  answer: (words, extras) => `${plural(words, 'word', 'words')}${extras.length > 0 ? `, with ${list(extras, 'and')}` : ''}.`,
  extras: { reason: 'a reason', example: 'an example', figures: 'figures', terms: 'expected terms', star: 'a STAR structure' },
  strengthBalance: (p) => `Balanced talk time: you spoke ${p}% of the time.`,
  strengthFewFillers: (m) => `Few filler words (${m} per minute).`,
  improveFillers: (m, top) => `Fewer filler words: ${m} per minute (${top}).`,
  improveListen: (p) => `Listen more: you spoke ${p}% of the time.`,
  improveDevelop: (p) => `Develop your answers: you spoke only ${p}% of the time.`,
  improveMonologue: (d) => `Shorter monologues: the longest lasted ${d}.`,
};

const FR: HeuristicText = {
  signal: {
    questions: 'questions posées',
    figures: 'chiffres',
    acknowledgement: "prise en compte de l'interlocuteur",
    closing: 'prochaine étape proposée',
    reasoning: 'raisons données',
    examples: 'exemples',
    star: 'structure STAR',
    depth: 'profondeur des réponses',
    communication: 'expression orale',
  },
  keywords: 'mots-clés',
  patterns: 'motifs',
  labelWords: 'les mots du critère',
  star: { situation: 'Situation', task: 'Tâche', action: 'Action', result: 'Résultat' },
  and: 'et',
  met: (n, what) => `Atteint : ${plural(n, 'occurrence', 'occurrences')} (${what}).`,
  notMet: (n, expected, what) => `Non atteint : ${n} sur ${expected} attendu${expected > 1 ? 's' : ''} (${what}).`,
  scale: (level, n, expected, what) => `Niveau ${level} : ${n} sur ${expected} attendu${expected > 1 ? 's' : ''} (${what}).`,
  starLevel: (parts) =>
    parts.length === 0 ? 'Aucune réponse ne présente de Situation, Tâche, Action ou Résultat.' : `La meilleure réponse couvre ${list(parts, 'et')} (${parts.length} éléments STAR sur 4).`,
  depthLevel: (avg, reasons, examples, answers) => `Réponses de ${avg} mots en moyenne ; ${reasons} sur ${answers} donnent une raison, ${examples} un exemple ou des chiffres.`,
  communicationLevel: (fillers, wpm, longest) =>
    `${fillers === null ? 'Aucun' : fillers} mots parasites par minute, ${wpm === null ? 'débit inconnu' : `${wpm} mots par minute`}, plus long monologue ${seconds(longest)}.`,
  noAnswer: 'Pas de réponse.',
  unknownAnswer: 'La réponse dit ne pas savoir.',
  answer: (words, extras) => `${plural(words, 'mot', 'mots')}${extras.length > 0 ? `, avec ${list(extras, 'et')}` : ''}.`,
  extras: { reason: 'une raison', example: 'un exemple', figures: 'des chiffres', terms: 'les termes attendus', star: 'une structure STAR' },
  strengthBalance: (p) => `Temps de parole équilibré : vous avez parlé ${p} % du temps.`,
  strengthFewFillers: (m) => `Peu de mots parasites (${m} par minute).`,
  improveFillers: (m, top) => `Moins de mots parasites : ${m} par minute (${top}).`,
  improveListen: (p) => `Écoutez davantage : vous avez parlé ${p} % du temps.`,
  improveDevelop: (p) => `Développez vos réponses : vous n'avez parlé que ${p} % du temps.`,
  improveMonologue: (d) => `Des monologues plus courts : le plus long a duré ${d}.`,
};

export const HEURISTIC_TEXT: Record<EvaluationLanguage, HeuristicText> = { en: EN, fr: FR };
export { seconds as formatDuration };
