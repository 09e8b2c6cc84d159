/**
 * Text helpers of the evaluation: folding (lowercase, accents stripped, typographic quotes and
 * whitespace unified) with a map back to the original text, so that whatever is found in the
 * folded text is quoted as the exact original substring; words; sentence windows.
 */

export interface Folded {
  /** Lowercase, without accents, apostrophes and quotes unified, whitespace runs as one space. */
  text: string;
  /** For each character of `text`: the start and end (exclusive) of what it came from in the original. */
  from: number[];
  to: number[];
}

const APOSTROPHES = /[’‘`´ʼ]/u;
const QUOTES = /[“”«»„]/u;

export function fold(original: string): Folded {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const char of original) {
    const start = i;
    i += char.length;
    const code = char.charCodeAt(0);
    let piece: string;
    if (code === 32 || code === 9 || code === 10 || code === 13 || (code > 127 && /\s/u.test(char))) {
      if (text === '' || text.endsWith(' ')) continue;
      piece = ' ';
    } else if (code < 128) piece = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
    else if (APOSTROPHES.test(char)) piece = "'";
    else if (QUOTES.test(char)) piece = '"';
    else piece = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (const out of piece) {
      text += out;
      from.push(start);
      to.push(i);
    }
  }
  return { text, from, to };
}

/** Folds text without keeping the map (for terms and comparisons). */
export function foldText(original: string): string {
  return fold(original).text.trim();
}

/** The original span of folded characters [start, end). */
export function originalSpan(folded: Folded, start: number, end: number): [number, number] {
  return [folded.from[start] ?? 0, folded.to[end - 1] ?? 0];
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export interface Window {
  start: number;
  end: number;
  text: string;
}

/**
 * Sentences of a text as exact spans, split after `.`, `!`, `?`, `…` or a line break; a sentence
 * longer than `maxWords` (speech-to-text often has no punctuation) is cut into windows of
 * `maxWords` words. Heuristics match and quote these windows.
 */
export function sentenceWindows(text: string, maxWords = 40): Window[] {
  const windows: Window[] = [];
  const sentence = /[^.!?…\n]+(?:[.!?…]+|\n|$)/gu;
  for (const match of text.matchAll(sentence)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '' || !/[\p{L}\p{N}]/u.test(body)) continue;
    const start = (match.index ?? 0) + lead;
    const words = [...body.matchAll(/\S+/gu)];
    for (let w = 0; w < words.length; w += maxWords) {
      const first = words[w]!;
      const last = words[Math.min(words.length, w + maxWords) - 1]!;
      const s = start + (first.index ?? 0);
      const e = start + (last.index ?? 0) + last[0].length;
      windows.push({ start: s, end: e, text: text.slice(s, e) });
    }
  }
  return windows;
}

/** A term as a regular expression on folded text: whole words, spaces matching any whitespace. */
export function termPattern(term: string): RegExp {
  const escaped = foldText(term)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/ /g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u');
}

/** Rounds to `digits` decimals (metrics are reported with one or two). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
