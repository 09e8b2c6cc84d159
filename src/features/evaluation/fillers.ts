import { foldText } from './text.js';

/**
 * Filler words, English and French, as patterns on folded text (lowercase, no accents). Both
 * lists are always used: people mix languages, and neither list matches ordinary words of the
 * other. Words that are fillers only in some uses (like, you know, quoi, genre…) carry the
 * context that tells them apart; see docs/evaluation.md for the exact rules.
 */
export interface Filler {
  /** How it is reported (the usual spelling). */
  word: string;
  language: 'en' | 'fr';
  pattern: RegExp;
}

const B = '(?<![\\p{L}\\p{N}\'])'; // word start
const E = '(?![\\p{L}\\p{N}])'; // word end
const filler = (word: string, language: 'en' | 'fr', body: string): Filler => ({ word, language, pattern: new RegExp(`${B}(?:${body})${E}`, 'gu') });

const DETERMINERS_EN = "a|an|the|this|that|these|those|what|some|any|one|every|which|each|another|no|same|different|all|my|your|his|her|our|their|its";

export const FILLERS: readonly Filler[] = [
  filler('um', 'en', 'um+|erm+|hmm+'),
  filler('uh', 'en', 'uh+|uhm+|er'),
  // "like" as a filler: set off by a comma ("it was, like, huge", "like, I don't know") — not "I like it", "looks like rain".
  filler('like', 'en', '(?<=,\\s?)like(?=[\\s,])|like(?=,)'),
  // "you know" — not "do you know", "you know what/how/that…".
  filler(
    'you know',
    'en',
    `(?<!\\b(?:do|did|don't|if|as|would|will|what|how|ever|i|should|could|may|might)\\s)you know(?!\\s+(?:what|how|that|where|why|when|who|whom|if|whether|about|the|a|an|it|him|her|them|this|me|us|my|your|his|their|our|each|anything|everything|something|nothing|someone|somebody|everyone|everybody|nobody|no one|more|much|too|better|best|enough)\\b)`,
  ),
  filler('actually', 'en', 'actually'),
  filler('basically', 'en', 'basically'),
  filler('literally', 'en', 'literally'),
  filler('i mean', 'en', "i mean(?!\\s+(?:to|it|that|what|you|he|she|they|we|him|her|them|no|every|business)\\b)"),
  filler('kind of', 'en', `(?<!\\b(?:${DETERMINERS_EN}|what|the same)\\s)kind of(?!\\s+(?:thing|things|person|people|guy|man|woman)\\b)`),
  filler('sort of', 'en', `(?<!\\b(?:${DETERMINERS_EN})\\s)sort of(?!\\s+(?:thing|things|person|people)\\b)`),
  filler('euh', 'fr', 'euh+|heu+|euhm+'),
  filler('ben', 'fr', 'eh ben|ben|bein'),
  filler('bah', 'fr', 'bah'),
  // "genre" as a filler — not "ce genre de", "le genre", "du genre humain".
  filler('genre', 'fr', "(?<!\\b(?:le|un|ce|du|quel|quelle|mon|ton|son|notre|votre|leur|bon|meme|de|en|au|tout|autre|cet|cette|a|the|this|that|music|film)\\s)genre(?!\\s+(?:de|d'|humain|musical|litteraire|cinematographique|of)\\b)(?!\\s*d')"),
  filler('en fait', 'fr', 'en fait'),
  filler('du coup', 'fr', 'du coup'),
  filler('voilà', 'fr', 'voila'),
  // "quoi" closing a clause ("c'était bien, quoi.") — not a question ("quoi ?", "de quoi", "c'est quoi").
  filler('quoi', 'fr', "(?<!\\b(?:de|pour|sur|a|en|avec|par|c'est|est-ce|ou|sais pas|sait pas|n'importe|je sais|savoir|dire|faire|quoi)\\s)quoi(?=\\s*(?:[,.!;…]|$))"),
  filler('bref', 'fr', 'bref'),
  filler('tu vois', 'fr', "tu vois|vous voyez(?!\\s+(?:ce|le|la|les|un|une|des|qu|quoi|comment|pourquoi)\\b)"),
  filler('tu sais', 'fr', 'tu sais(?!\\s+(?:ce|le|la|les|que|qu|si|comment|pourquoi|quoi)\\b)'),
  filler('disons', 'fr', 'disons(?!\\s+(?:que|qu)\\b)'),
  filler('je veux dire', 'fr', "je veux dire(?!\\s+(?:que|qu|par|a)\\b)|j'veux dire"),
];

export interface FillerCount {
  word: string;
  count: number;
}

/** Filler words in a text, by word, most frequent first (then alphabetical). */
export function countFillers(text: string, fillers: readonly Filler[] = FILLERS): FillerCount[] {
  const folded = foldText(text);
  const counts = new Map<string, number>();
  for (const { word, pattern } of fillers) {
    pattern.lastIndex = 0;
    const found = folded.match(pattern)?.length ?? 0;
    if (found > 0) counts.set(word, (counts.get(word) ?? 0) + found);
  }
  return sortCounts(counts);
}

export function sortCounts(counts: ReadonlyMap<string, number>): FillerCount[] {
  return [...counts.entries()].map(([word, count]) => ({ word, count })).sort((a, b) => b.count - a.count || a.word.localeCompare(b.word));
}
