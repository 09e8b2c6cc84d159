import type { CriterionSignal } from '../../shared/api/evaluation.js';
import { isQuestion } from './questions.js';
import { foldText, type Window } from './text.js';

/**
 * The offline heuristics' built-in detectors, English and French, as patterns on folded
 * sentences (lowercase, accents stripped). Each finds the sentences that show a behaviour.
 */
const words = (...alternatives: string[]): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');

const NUMBER_WORDS =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|thousand|million|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|trente|quarante|cinquante|cent|mille|million)';
const UNITS =
  '(?:percent|per cent|euros?|dollars?|days?|weeks?|months?|years?|hours?|minutes?|clients?|customers?|users?|people|employees|pour ?cent|jours?|semaines?|mois|ans|annees?|heures?|utilisateurs?|personnes|salaries)';

export const SIGNAL_PATTERNS: Record<'figures' | 'acknowledgement' | 'closing' | 'reasoning' | 'examples', RegExp[]> = {
  figures: [/\d/u, /[%€$£]/u, words(`${NUMBER_WORDS}\\s+${UNITS}`, 'percent', 'pour ?cent', 'half', 'twice', 'double', 'triple', 'moitie', 'dizaine', 'centaine', 'douzaine', 'millions?', 'milliers?')],
  acknowledgement: [
    words(
      'i understand',
      'i hear you',
      'i see what you mean',
      'i see your point',
      'that makes sense',
      'fair point',
      'good point',
      "you're right",
      'you are right',
      'valid concern',
      'i get it',
      'i get that',
      'i appreciate',
      'understandable',
      'good question',
      'great question',
      'je comprends',
      "j'entends",
      'je vous entends',
      "c'est legitime",
      'vous avez raison',
      'tu as raison',
      "c'est normal",
      'bonne question',
      'je vois ce que vous voulez dire',
      'je conçois',
      'je concois',
      'comprehensible',
      'je vous rejoins',
      "c'est une vraie question",
    ),
  ],
  closing: [
    words(
      'next steps?',
      'shall we',
      '(?:can|could) we (?:schedule|book|set up|meet|start|plan|talk again)',
      "let's (?:schedule|book|set up|meet|start|move forward|plan|talk)",
      'would you be open to',
      'how about (?:we|a)',
      'sign(?:ed|ing)? (?:up|the contract)',
      'free trial',
      'a trial',
      'pilot',
      'a demo',
      'follow[- ]up',
      'send you (?:a|the) (?:proposal|quote|contract)',
      'put something in the calendar',
      'prochaine etape',
      'prochaines etapes',
      'on se (?:cale|fixe|voit|rappelle|revoit)',
      'je vous propose',
      'je te propose',
      "est-ce qu'on (?:fixe|planifie|programme|se cale)",
      'rendez-vous',
      "(?:un|une) (?:essai|periode d'essai|pilote|demo|demonstration)",
      'signer',
      'on demarre',
      'je vous envoie (?:le contrat|la proposition|un devis|une proposition)',
      'on se donne rendez-vous',
    ),
  ],
  reasoning: [
    words(
      'because',
      'since',
      'so that',
      'which means',
      "that's why",
      'that is why',
      'therefore',
      'this means',
      'the reason',
      'parce que',
      'parce qu',
      'car (?:je|j|il|elle|nous|vous|on|ils|elles|c|ce|cela|ca|le|la|les|leur|notre|votre)',
      'donc',
      'ce qui (?:permet|veut dire|signifie)',
      'grace a',
      "c'est pourquoi",
      'afin de',
      'afin que',
      'cela signifie',
      'puisque',
      'la raison',
    ),
  ],
  examples: [
    words(
      'for example',
      'for instance',
      'such as',
      'e\\.g\\.',
      'in my (?:last|previous|current|former) (?:job|role|project|team|company|position)',
      'at my (?:last|previous|current|former) (?:job|company)',
      'one of our (?:clients|customers)',
      'a client of ours',
      'case study',
      'par exemple',
      'notamment',
      'dans mon (?:ancien|precedent|dernier|actuel) (?:poste|projet|emploi|equipe|job)',
      'chez mon (?:ancien|precedent|dernier) employeur',
      'un de nos clients',
      "l'un de nos clients",
      'etude de cas',
      'prenons le cas',
    ),
  ],
};

export const STAR_COMPONENTS = ['situation', 'task', 'action', 'result'] as const;
export type StarComponent = (typeof STAR_COMPONENTS)[number];

export const STAR_PATTERNS: Record<StarComponent, RegExp> = {
  situation: words(
    '(?:at|in) my (?:previous|last|former|current|first) (?:job|role|company|position|team|project|internship)',
    'when i (?:was|worked|joined)',
    'the (?:context|situation|background) (?:was|is)',
    'there was a time',
    'a (?:few|couple of) years ago',
    'last year',
    'dans mon (?:ancien|precedent|dernier|actuel|premier) (?:poste|emploi|projet|equipe|entreprise|stage)',
    'lorsque (?:je|j)',
    "quand j'etais",
    'quand je travaillais',
    "le contexte (?:etait|c'etait)",
    "la situation (?:etait|c'etait)",
    'il y a (?:quelques|deux|trois|un|une) (?:ans?|annees?|mois)',
    "l'annee derniere",
  ),
  task: words(
    'my (?:role|task|job|responsibility|goal|mission) was',
    'i was (?:responsible|in charge|asked|tasked)',
    'we (?:needed|had) to',
    'i (?:needed|had) to',
    'the (?:goal|objective|challenge|problem|task) was',
    "mon (?:role|objectif|travail|mission|but) (?:etait|c'etait)",
    "j'etais (?:charge|chargee|responsable)",
    'je devais',
    'nous devions',
    'on devait',
    "l'objectif (?:etait|c'etait)",
    "le (?:probleme|defi|but) (?:etait|c'etait)",
    'il fallait',
  ),
  action: words(
    'i (?:decided|implemented|built|created|organized|organised|led|proposed|set up|introduced|wrote|designed|talked to|met with|started|changed|refactored|automated|analysed|analyzed|migrated|fixed|reached out|negotiated|trained)',
    'so i',
    'what i did',
    'i took',
    "j'ai (?:decide|mis en place|cree|organise|propose|dirige|ecrit|concu|parle|rencontre|commence|change|automatise|analyse|migre|corrige|developpe|lance|negocie|forme|refactorise)",
    "alors j'ai",
    "ce que j'ai fait",
    'nous avons (?:mis en place|decide|cree|organise|developpe|lance)',
    'on a (?:mis en place|decide|cree|organise|developpe|lance)',
  ),
  result: words(
    'as a result',
    'in the end',
    'the (?:result|outcome) was',
    'we (?:reduced|increased|improved|saved|cut|doubled|delivered|shipped|achieved|won)',
    'it (?:reduced|increased|improved|saved|cut|doubled)',
    'which (?:led to|resulted in)',
    '(?:reduced|increased|improved|cut) (?:it )?by',
    'au final',
    'le resultat',
    'resultat',
    'ce qui a permis',
    'cela a permis',
    'ca a permis',
    '(?:nous avons|on a) (?:reduit|augmente|ameliore|economise|livre|gagne|divise|double)',
    'finalement',
    'grace a cela',
  ),
};

export type CountableSignal = Exclude<CriterionSignal, 'star' | 'depth' | 'communication'>;
export const COMPUTED_SIGNALS = new Set<CriterionSignal>(['star', 'depth', 'communication']);

/** Whether a sentence window shows a countable signal (`folded`: its text already folded). */
export function showsSignal(signal: CountableSignal, window: Window, folded = foldText(window.text)): boolean {
  if (signal === 'questions') return isQuestion(window.text, folded);
  return SIGNAL_PATTERNS[signal].some((pattern) => pattern.test(folded));
}

export function starComponentsOf(window: Window, folded = foldText(window.text)): StarComponent[] {
  return STAR_COMPONENTS.filter((component) => STAR_PATTERNS[component].test(folded));
}

/** "I don't know" answers. */
export const UNKNOWN_ANSWER = words("i don't know", 'i do not know', 'no idea', 'not sure', 'je ne sais pas', 'je sais pas', 'aucune idee', 'pas sur', "j'en sais rien", 'je ne connais pas');
