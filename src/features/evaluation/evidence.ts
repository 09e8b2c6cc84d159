import type { Evidence } from '../../shared/api/evaluation.js';
import { fold, originalSpan } from './text.js';
import type { EvaluationTurn } from './transcript.js';

const MIN_QUOTE_CHARS = 3;
/** Quotation marks and ellipses a judge may put around a quote (not part of what was said). */
const WRAPPING = /^[\s"'“”«»„‘’`…]+|[\s"'“”«»„‘’`…]+$/gu;

/**
 * The exact substring of `text` that `quote` stands for, or undefined when it does not occur.
 * The search ignores case, accents, typographic quotes and whitespace differences, and the quote
 * marks or ellipses around a quote; what is returned is always cut from `text` itself, so a
 * quote can be shortened or normalised but never invented.
 */
export function locateQuote(text: string, quote: string): string | undefined {
  const wanted = fold(quote.replace(/\.{3}/g, '…').replace(WRAPPING, '')).text.trim();
  if (wanted.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_QUOTE_CHARS) return undefined;
  const folded = fold(text);
  const at = folded.text.indexOf(wanted);
  if (at < 0) return undefined;
  const [start, end] = originalSpan(folded, at, at + wanted.length);
  return text.slice(start, end);
}

export interface QuoteClaim {
  itemId: string;
  quote: string;
}

/**
 * Keeps the claims whose quote occurs in the turn they name (as the exact original substring),
 * without duplicates, at most `max`; `dropped` counts the claims that did not hold.
 */
export function verifyEvidence(claims: readonly QuoteClaim[], turns: ReadonlyMap<string, EvaluationTurn>, max: number): { evidence: Evidence[]; dropped: number } {
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const claim of claims) {
    const turn = turns.get(claim.itemId);
    const quote = turn === undefined ? undefined : locateQuote(turn.text, claim.quote);
    if (turn === undefined || quote === undefined) {
      dropped++;
      continue;
    }
    const key = `${turn.itemId}\u0000${quote}`;
    if (seen.has(key) || evidence.length >= max) continue;
    seen.add(key);
    evidence.push({ itemId: turn.itemId, speaker: turn.speaker, quote, startMs: turn.startMs });
  }
  return { evidence, dropped };
}
