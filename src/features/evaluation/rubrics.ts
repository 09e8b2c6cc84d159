import { ZRubric, type EvaluationKind, type EvaluationLanguage, type LocalizedText, type Rubric, type RubricInput, type ScaleLevel } from '../../shared/api/evaluation.js';
import { AppError } from '../../platform/errors.js';

/** A rubric text in the evaluation language (the other language when it is missing). */
export function localize(text: LocalizedText | undefined, language: EvaluationLanguage): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[language] ?? text[language === 'fr' ? 'en' : 'fr'] ?? '';
}

/** The generic meaning of each level of a scale criterion, used when a criterion publishes none. */
export const DEFAULT_LEVELS: Record<ScaleLevel, { fr: string; en: string }> = {
  0: { en: 'Absent', fr: 'Absent' },
  1: { en: 'Weak', fr: 'Insuffisant' },
  2: { en: 'Partial', fr: 'Partiel' },
  3: { en: 'Good', fr: 'Bon' },
  4: { en: 'Excellent', fr: 'Excellent' },
};

export function levelLabel(criterion: Rubric['criteria'][number], level: number, language: EvaluationLanguage): string {
  const published = criterion.levels?.find((l) => l.level === level);
  if (published !== undefined) return localize(published.label, language);
  return DEFAULT_LEVELS[level as ScaleLevel]?.[language] ?? String(level);
}

/** Parses a rubric (defaults applied), or a VALIDATION_FAILED naming the bad field. */
export function parseRubric(input: unknown): Rubric {
  const parsed = ZRubric.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = ['rubric', ...issue.path.map(String)].join('.');
  throw new AppError('VALIDATION_FAILED', `Invalid ${field}: ${issue.message}`, { field });
}

const levels = (meanings: Record<ScaleLevel, { en: string; fr: string }>) =>
  ([0, 1, 2, 3, 4] as const).map((level) => ({ level, label: DEFAULT_LEVELS[level], description: meanings[level] }));

/**
 * The built-in roleplay rubric (sales conversation): discovery questions, figures, handling the
 * objection, reasons or examples, and a proposed next step — all yes/no, with heuristic signals.
 */
export function roleplayRubric(language: EvaluationLanguage): Rubric {
  return parseRubric({
    id: 'roleplay-sales-v1',
    title: { en: 'Sales conversation', fr: 'Entretien commercial' },
    language,
    criteria: [
      {
        id: 'discovery_questions',
        kind: 'yes_no',
        weight: 2,
        label: { en: 'Asks discovery questions', fr: 'Pose des questions de découverte' },
        description: { en: "Asks at least two questions about the client's needs, budget or constraints.", fr: 'Pose au moins deux questions sur les besoins, le budget ou les contraintes du client.' },
        signals: ['questions'],
        expectedMatches: 2,
      },
      {
        id: 'acknowledges_objection',
        kind: 'yes_no',
        weight: 2,
        label: { en: 'Acknowledges the objection', fr: "Accueille l'objection" },
        description: { en: 'Acknowledges the objection before answering it ("I understand…").', fr: "Reconnaît l'objection avant d'y répondre (« je comprends… »)." },
        signals: ['acknowledgement'],
      },
      {
        id: 'uses_figures',
        kind: 'yes_no',
        weight: 1,
        label: { en: 'Backs claims with figures', fr: 'Appuie ses arguments sur des chiffres' },
        description: { en: 'Uses concrete figures: prices, savings, percentages, delays.', fr: 'Utilise des chiffres concrets : prix, économies, pourcentages, délais.' },
        signals: ['figures'],
      },
      {
        id: 'argues',
        kind: 'yes_no',
        weight: 1,
        label: { en: 'Gives reasons and examples', fr: 'Donne des raisons et des exemples' },
        description: { en: 'Explains why ("because…") or gives an example or a reference client.', fr: 'Explique pourquoi (« parce que… ») ou donne un exemple ou un client de référence.' },
        signals: ['reasoning', 'examples'],
      },
      {
        id: 'proposes_next_step',
        kind: 'yes_no',
        weight: 2,
        label: { en: 'Proposes a next step', fr: 'Propose une prochaine étape' },
        description: { en: 'Ends by proposing a concrete next step: a meeting, a trial, a proposal.', fr: 'Conclut en proposant une étape concrète : un rendez-vous, un essai, une proposition.' },
        signals: ['closing'],
      },
    ],
  });
}

/** Terms a correct answer tends to use, per technology of the interview question bank. */
export const TECHNOLOGY_TERMS: Record<string, readonly string[]> = {
  javascript: ['closure', 'scope', 'event loop', 'promise', 'prototype', 'hoisting', 'microtask', 'callback', 'async', 'await', 'strict equality', 'coercion'],
  typescript: ['type', 'interface', 'generic', 'union', 'narrowing', 'unknown', 'type guard', 'inference', 'discriminated', 'compile time'],
  react: ['component', 'state', 'props', 're-render', 'hook', 'useEffect', 'useMemo', 'useCallback', 'key', 'context', 'reconciliation', 'memo'],
  node: ['event loop', 'stream', 'buffer', 'module', 'non-blocking', 'libuv', 'worker thread', 'cluster', 'backpressure', 'async'],
  python: ['list', 'dict', 'generator', 'decorator', 'GIL', 'comprehension', 'virtualenv', 'exception', 'iterator', 'context manager'],
  sql: ['join', 'index', 'transaction', 'primary key', 'foreign key', 'normalization', 'query plan', 'group by', 'isolation', 'constraint'],
  java: ['class', 'interface', 'JVM', 'garbage collector', 'thread', 'stream', 'generics', 'exception', 'immutable', 'synchronized'],
  devops: ['CI', 'pipeline', 'docker', 'kubernetes', 'container', 'monitoring', 'terraform', 'rollback', 'deployment', 'infrastructure as code'],
};

/**
 * The built-in interview rubric: technical accuracy, depth, communication and structure (STAR
 * for behavioural questions), each on the 0–4 scale with a published meaning per level.
 * `technologies` adds the terms of those technologies as keywords of technical accuracy.
 */
export function interviewRubric(language: EvaluationLanguage, options: { technologies?: readonly string[]; keywords?: readonly string[] } = {}): Rubric {
  const terms = [...new Set([...(options.technologies ?? []).flatMap((tech) => TECHNOLOGY_TERMS[tech.toLowerCase()] ?? []), ...(options.keywords ?? [])])].slice(0, 50);
  return parseRubric({
    id: 'interview-v1',
    title: { en: 'Mock interview', fr: "Simulation d'entretien" },
    language,
    criteria: [
      {
        id: 'technical_accuracy',
        kind: 'scale',
        weight: 3,
        label: { en: 'Technical accuracy', fr: 'Justesse technique' },
        description: { en: 'Answers are correct and use the right concepts and terms.', fr: 'Les réponses sont justes et emploient les bons concepts et termes.' },
        levels: levels({
          0: { en: 'No correct technical content.', fr: 'Aucun contenu technique juste.' },
          1: { en: 'Mostly incorrect or vague; key concepts missing.', fr: 'Surtout faux ou vague ; concepts clés absents.' },
          2: { en: 'Partly correct, with gaps or confusions.', fr: 'En partie juste, avec des lacunes ou confusions.' },
          3: { en: 'Correct on the essentials, minor imprecisions.', fr: "Juste sur l'essentiel, imprécisions mineures." },
          4: { en: 'Correct and precise, with the right terms and trade-offs.', fr: 'Juste et précis, avec les bons termes et les compromis.' },
        }),
        ...(terms.length > 0 ? { keywords: terms } : { signals: ['reasoning', 'examples'] }),
        expectedMatches: 4,
      },
      {
        id: 'depth',
        kind: 'scale',
        weight: 2,
        label: { en: 'Depth', fr: 'Profondeur' },
        description: { en: 'Goes beyond definitions: explains why, gives examples, trade-offs and experience.', fr: "Va au-delà des définitions : explique pourquoi, donne des exemples, des compromis, de l'expérience." },
        levels: levels({
          0: { en: 'No real answer.', fr: 'Pas de vraie réponse.' },
          1: { en: 'One-line answers, no explanation.', fr: "Réponses d'une ligne, sans explication." },
          2: { en: 'Some explanation, few examples.', fr: "Un peu d'explication, peu d'exemples." },
          3: { en: 'Explains why, with examples.', fr: 'Explique pourquoi, avec des exemples.' },
          4: { en: 'Thorough: reasons, examples, trade-offs, figures.', fr: 'Approfondi : raisons, exemples, compromis, chiffres.' },
        }),
        signals: ['depth'],
      },
      {
        id: 'communication',
        kind: 'scale',
        weight: 2,
        label: { en: 'Communication', fr: 'Communication' },
        description: { en: 'Clear, concise, steady pace, few filler words, answers of a fitting length.', fr: 'Clair, concis, débit régulier, peu de mots parasites, réponses de longueur adaptée.' },
        levels: levels({
          0: { en: 'Hard to follow.', fr: 'Difficile à suivre.' },
          1: { en: 'Many fillers or hesitations; rambling or too terse.', fr: 'Beaucoup de mots parasites ou d’hésitations ; confus ou trop bref.' },
          2: { en: 'Understandable, with noticeable hesitations.', fr: 'Compréhensible, avec des hésitations notables.' },
          3: { en: 'Clear, a few hesitations.', fr: 'Clair, quelques hésitations.' },
          4: { en: 'Clear, concise and fluent.', fr: 'Clair, concis et fluide.' },
        }),
        signals: ['communication'],
      },
      {
        id: 'structure',
        kind: 'scale',
        weight: 2,
        label: { en: 'Structure (STAR)', fr: 'Structure (STAR)' },
        description: {
          en: 'Answers are structured; behavioural answers follow Situation, Task, Action, Result.',
          fr: 'Les réponses sont structurées ; les réponses comportementales suivent Situation, Tâche, Action, Résultat.',
        },
        levels: levels({
          0: { en: 'No structure.', fr: 'Aucune structure.' },
          1: { en: 'One STAR element.', fr: 'Un élément STAR.' },
          2: { en: 'Two STAR elements.', fr: 'Deux éléments STAR.' },
          3: { en: 'Three STAR elements.', fr: 'Trois éléments STAR.' },
          4: { en: 'Situation, Task, Action and Result, in order.', fr: 'Situation, Tâche, Action et Résultat, dans l’ordre.' },
        }),
        signals: ['star'],
      },
    ],
  });
}

/** The built-in rubric of an evaluation kind. */
export function defaultRubric(kind: EvaluationKind, language: EvaluationLanguage): Rubric {
  return kind === 'interview' ? interviewRubric(language) : roleplayRubric(language);
}

export type { Rubric, RubricInput };
