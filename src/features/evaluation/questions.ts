import { foldText, sentenceWindows, type Window } from './text.js';

/**
 * How a sentence without a question mark still reads as a question (speech-to-text rarely
 * punctuates): it opens with an auxiliary or an interrogative followed by what questions have.
 */
const OPENERS = new RegExp(
  '^(?:(?:so|and|but|ok|okay|alors|et|mais|donc|bon)\\s+)?(?:' +
    [
      // English
      '(?:can|could|would|will|do|does|did|are|is|have|has|should|may|might)\\s+(?:you|we|i|they|it|there|your|this|that)\\b',
      "(?:what|how|why|when|where|who|which)\\s+(?:is|are|was|were|do|does|did|would|will|can|could|should|about|kind|sort|if|makes|made|happens|happened|much|many|long|often|'s|'re)\\b",
      "(?:what's|how's|where's|who's|why's|isn't|aren't|don't|doesn't|didn't|wouldn't|couldn't)\\b",
      // French
      "est-ce\\s+(?:que|qu')",
      "qu'est-ce",
      '(?:pourquoi|combien|quel|quelle|quels|quelles|lequel|laquelle)\\b',
      // "quand j'étais…", "comment dire" open statements: only their question forms count.
      "(?:comment|quand)\\s+(?:est-ce|allez|faites|pouvez|voulez|comptez|pensez|voyez|etes|avez|vous|tu|on|ca|cela|le|la|les)\\b",
      'ou\\s+(?:est|sont|en etes|en etiez|se trouve|voulez|allez)\\b',
      "\\w+-(?:vous|tu|il|elle|ils|elles|on|nous)\\b",
      // Prompts that ask without a question mark: "Tell me about…", "Décrivez…".
      "(?:tell me|tell us|describe|explain|walk me through|give me an example|talk me through|parlez-moi|parle-moi|decrivez|decris|expliquez|explique|racontez|raconte|donnez-moi un exemple|presentez-vous)\\b",
    ].join('|') +
    ')',
  'u',
);

/** Whether one sentence is a question: a question mark, or a question's opening words (`folded`: the sentence already folded). */
export function isQuestion(sentence: string, folded?: string): boolean {
  if (sentence.includes('?')) return true;
  return OPENERS.test(folded ?? foldText(sentence));
}

/** The sentence windows of a text that are questions. */
export function questionWindows(text: string): Window[] {
  return sentenceWindows(text).filter((window) => isQuestion(window.text));
}
