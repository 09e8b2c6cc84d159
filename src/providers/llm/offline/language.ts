import type { Language } from '../types.js';
import { normalize } from './text.js';

const FRENCH = new Set(
  "je j' tu il elle nous vous ils est suis sont pas ne le la les des du une un et ou mais pour avec dans sur que qui quoi comment pourquoi quand bonjour salut merci oui non c'est ca mon ma mes ton ta tes votre vos notre nos ai as avez avons peux veux voudrais faire fait tres aussi plus moins bien cours salle horaires demain aujourd'hui".split(' '),
);
const ENGLISH = new Set(
  "i i'm you he she we they is am are not the an and or but for with in that what who how why when hello hi thanks thank yes no it's my your our have has can want would do does make very also more less well class gym hours tomorrow today".split(' '),
);

/**
 * Guesses French or English from common function words and French diacritics; undefined when the
 * text gives no signal (e.g. "ok").
 */
export function detectLanguage(text: string): Language | undefined {
  const accents = (text.match(/[éèêàùçôîœ]/gi) ?? []).length;
  let fr = accents * 0.5;
  let en = 0;
  for (const raw of normalize(text).split(/[^a-z']+/)) {
    if (raw === '') continue;
    const word = raw.replace(/^(\w')/, "$1 ").split(' ')[0] ?? raw; // "j'ai" counts as "j'"
    if (FRENCH.has(raw) || FRENCH.has(word)) fr++;
    if (ENGLISH.has(raw)) en++;
  }
  if (fr === 0 && en === 0) return undefined;
  return fr > en ? 'fr' : en > fr ? 'en' : undefined;
}

/** The reply language: the explicit hint, else the latest user text that gives a signal, else English. */
export function replyLanguage(hint: Language | undefined, userTexts: readonly string[]): Language {
  if (hint !== undefined) return hint;
  for (let i = userTexts.length - 1; i >= 0; i--) {
    const detected = detectLanguage(userTexts[i] ?? '');
    if (detected !== undefined) return detected;
  }
  return 'en';
}
