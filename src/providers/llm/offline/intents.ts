import { normalize } from './text.js';

/**
 * Intent rules: regular expressions over normalized text (lowercase, no accents), English and
 * French side by side. The first matching rule of a table wins, so order encodes priority.
 */
export interface IntentRule<I extends string> {
  intent: I;
  patterns: readonly RegExp[];
}

export function detectIntent<I extends string>(text: string, rules: readonly IntentRule<I>[]): I | undefined {
  const normalized = normalize(text);
  return rules.find((rule) => rule.patterns.some((pattern) => pattern.test(normalized)))?.intent;
}

/** Checked by every agent before its own rules. */
export type SharedIntent = 'crisis' | 'honesty';

export const SHARED_INTENTS: readonly IntentRule<SharedIntent>[] = [
  {
    intent: 'crisis',
    patterns: [
      /\b(kill|hurt|harm) myself\b/,
      /\bsuicid/,
      /\bend (my|it all)\b.*\b(life|all)\b|\bend my life\b/,
      /\b(want|wanna) to die\b/,
      /\bme (suicider|tuer|faire du mal)\b/,
      /\ben finir avec (la vie|tout)\b|\bmettre fin a mes jours\b/,
      /\b(envie|veux) de mourir\b/,
    ],
  },
  {
    intent: 'honesty',
    patterns: [
      /\bare you (an? )?(ai|a\.i\.|bot|robot|real|human|person|machine|chatgpt|gpt|language model|llm|offline)\b/,
      /\b(is this|am i talking to) (an? )?(ai|bot|robot|human|real person|machine)\b/,
      /\b(offline mode|offline engine|real model|which model|what model)\b/,
      /\b(es[- ]tu|etes[- ]vous|t'es) (une? )?(ia|robot|bot|humain|humaine|vraie? personne|machine|chatgpt)\b/,
      /\b(mode hors[- ]ligne|quel modele|vrai modele)\b/,
      /\bje parle (a|avec) (une? )?(ia|robot|machine|humain)\b/,
    ],
  },
];

export type ChatIntent =
  | 'unethical'
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'rejection'
  | 'anxiety'
  | 'firstDate'
  | 'texting'
  | 'confidence'
  | 'loneliness'
  | 'goals';

export const CHAT_INTENTS: readonly IntentRule<ChatIntent>[] = [
  {
    intent: 'unethical',
    patterns: [
      /\b(manipulat|trick (her|him|them)|make (her|him|them) jealous|get (her|him|them) drunk|pressure (her|him|them)|force (her|him|them)|stalk|negging|without (her|his|their) consent|spy on)/,
      /\b(manipuler|la rendre jalouse|le rendre jaloux|la faire boire|le faire boire|la forcer|le forcer|sans son consentement|espionner|harceler)/,
    ],
  },
  { intent: 'thanks', patterns: [/^\s*(thanks|thank you|thx|merci)\b/, /\b(thanks a lot|merci beaucoup)\b/] },
  { intent: 'goodbye', patterns: [/^\s*(bye|goodbye|see you|a plus|au revoir|a bientot|bonne soiree|bonne nuit)\b/] },
  {
    intent: 'rejection',
    patterns: [
      /\b(rejected|rejection|turned me down|ghosted|ghosting|said no|broke up|breakup|dumped|heartbroken)\b/,
      /\b(rejet|rejete|rejetee|un rateau|ghoste|m'a ghost|elle m'a quitte|il m'a quitte|rupture|refuse de sortir|m'a dit non)\b/,
    ],
  },
  {
    intent: 'anxiety',
    patterns: [
      /\b(nervous|anxious|anxiety|scared|afraid|panic|stress|stressed|freak out|terrified)\b/,
      /\b(stresse|stressee|stress|angoisse|anxieux|anxieuse|peur|panique|trac)\b/,
    ],
  },
  {
    intent: 'firstDate',
    patterns: [/\b(first date|a date|date tonight|date tomorrow|dating)\b/, /\b(premier rendez-vous|premier rdv|rendez-vous|rencard|un date)\b/],
  },
  {
    intent: 'texting',
    patterns: [
      /\b(text (her|him|them)|what (should|do) i (say|write|text)|message (her|him|them)|conversation starter|approach (her|him|them|someone)|start a conversation|dating app|opener)\b/,
      /\b(lui ecrire|quoi (lui )?(dire|ecrire)|lui envoyer un message|engager la conversation|aborder|appli de rencontre|premier message)\b/,
    ],
  },
  {
    intent: 'confidence',
    patterns: [
      /\b(confidence|confident|shy|insecure|self[- ]esteem|not good enough|awkward|self[- ]doubt)\b/,
      /\b(confiance|timide|timidite|pas a la hauteur|estime de soi|complexe|mal a l'aise)\b/,
    ],
  },
  { intent: 'loneliness', patterns: [/\b(lonely|alone|isolated|no friends)\b/, /\b(seul|seule|solitude|isole|isolee)\b/] },
  {
    intent: 'goals',
    patterns: [
      /\b(goal|habit|motivation|motivated|procrastinat|discipline|improve myself|personal development|routine)\b/,
      /\b(objectif|habitude|motivation|motive|procrastin|discipline|progresser|developpement personnel|routine)\b/,
    ],
  },
  { intent: 'greeting', patterns: [/^\s*(hi|hello|hey|good (morning|evening|afternoon)|bonjour|salut|bonsoir|coucou)\b/] },
];

export type KioskIntent = 'issue' | 'booking' | 'schedule' | 'hours' | 'equipment' | 'nutrition' | 'greeting' | 'thanks';

export const KIOSK_INTENTS: readonly IntentRule<KioskIntent>[] = [
  {
    intent: 'issue',
    patterns: [
      /\b(broken|not working|doesn't work|does not work|out of order|leak|leaking|dirty|report|issue|problem|damaged)\b/,
      /\b(casse|cassee|en panne|ne marche pas|ne fonctionne pas|fuite|sale|signaler|probleme|abime|hors service)\b/,
    ],
  },
  {
    intent: 'booking',
    patterns: [
      /\b(book|booking|reserve|appointment|personal trainer|session with a coach|book a coach)\b/,
      /\b(reserver|reservation|rendez-vous avec un coach|coach perso|coach personnel|prendre rendez-vous)\b/,
    ],
  },
  {
    intent: 'schedule',
    patterns: [
      /\b(schedule|timetable|classes|class|yoga|pilates|spinning|zumba|crossfit|hiit|boxing|body ?pump|what time is)\b/,
      /\b(planning|cours|programme des cours|emploi du temps|a quelle heure est)\b/,
    ],
  },
  {
    intent: 'hours',
    patterns: [
      /\b(opening hours|open|opens|close|closes|closing|hours)\b/,
      /\b(horaires?|ouvert|ouverte|ouvre|ferme|fermeture|ouverture)\b/,
    ],
  },
  {
    intent: 'nutrition',
    patterns: [
      /\b(nutrition|diet|eat|eating|meal|protein|calories|food|lose weight|gain muscle|supplement)\b/,
      /\b(nutrition|regime|manger|repas|proteines?|calories|alimentation|perdre du poids|prendre du muscle|complement)\b/,
    ],
  },
  {
    intent: 'equipment',
    patterns: [
      /\b(how (do i|to) use|machine|treadmill|rowing|rower|elliptical|bench|squat rack|leg press|dumbbells?|kettlebell|cable|bike|equipment|adjust)\b/,
      /\b(comment utiliser|machine|tapis de course|rameur|elliptique|banc|cage a squat|presse|halteres?|kettlebell|poulie|velo|materiel|regler)\b/,
    ],
  },
  { intent: 'thanks', patterns: [/^\s*(thanks|thank you|merci)\b/] },
  { intent: 'greeting', patterns: [/^\s*(hi|hello|hey|bonjour|salut|bonsoir)\b/] },
];

/** Words that name each kiosk intent in tool names/descriptions, to map an intent to an offered tool. */
export const KIOSK_TOOL_KEYWORDS: Record<Exclude<KioskIntent, 'greeting' | 'thanks'>, RegExp> = {
  hours: /hour|opening|horaire/,
  schedule: /schedule|class|timetable|planning|cours/,
  issue: /issue|ticket|report|incident|signal/,
  equipment: /equipment|machine|materiel|device/,
  nutrition: /nutrition|meal|diet|food|aliment/,
  booking: /book|reserv|appointment|coach/,
};
