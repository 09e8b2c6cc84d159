/**
 * The one sentence splitter of the voice stages and the engine. It cuts streamed LLM text into
 * speakable sentences so TTS can start on the first one while the model is still writing, and
 * whole texts into the sentences a TTS engine synthesises one by one (`splitSentences`).
 *
 * A sentence ends at . ! ? … ; : (closing quotes and brackets included) or a newline, followed by
 * whitespace; common abbreviations and decimals ("Dr.", "e.g.", "3.5") do not end a sentence, and a
 * piece with fewer than 3 letters or digits ("1.", "Ok.") stays with the next one. Very long runs
 * without punctuation are cut at a comma or space after `maxChars`.
 *
 * The first piece of a reply is cut at its first comma too (when `firstClauseMinWords` words come
 * before it): TTS time grows with the length of the text, and only the first piece is waited for —
 * the rest is synthesised while it plays.
 */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'no', 'mme', 'mlle', 'm', 'p', 'ex']);
const CLOSERS = new Set(['"', "'", ')', ']', '»', '”', '’']);
const MIN_SENTENCE_CHARS = 3;

export class SentenceSplitter {
  private buffer = '';
  private first = true;

  constructor(private readonly maxChars = 220, private readonly firstClauseMinWords = 2) {}

  /** Adds a delta; returns the sentences it completed. */
  push(delta: string): string[] {
    this.buffer += delta;
    const out: string[] = [];
    for (;;) {
      const cut = this.findCut();
      if (cut < 0) break;
      const sentence = this.buffer.slice(0, cut).trim();
      this.buffer = this.buffer.slice(cut);
      if (sentence) {
        out.push(sentence);
        this.first = false;
      }
    }
    return out;
  }

  /** The rest, at the end of the stream. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }

  private findCut(): number {
    const b = this.buffer;
    for (let i = 0; i < b.length - 1; i++) {
      const ch = b[i]!;
      if (ch === '\n' && b.slice(0, i).trim()) return i + 1;
      if (ch === ',' && this.first && /\s/.test(b[i + 1]!) && !/\d$/.test(b.slice(0, i)) && b.slice(0, i).trim().split(/\s+/).length >= this.firstClauseMinWords) return i + 1;
      if (!/[.!?…;:]/.test(ch)) continue;
      let end = i + 1;
      while (end < b.length && CLOSERS.has(b[end]!)) end++;
      if (end >= b.length || !/\s/.test(b[end]!)) continue;
      if (ch === '.') {
        const word = /([\p{L}.]+)$/u.exec(b.slice(0, i))?.[1]?.toLowerCase() ?? '';
        if (ABBREVIATIONS.has(word) || (/^\p{Lu}$/u.test(b[i - 1] ?? '') && /\s\p{Lu}$/u.test(b.slice(Math.max(0, i - 2), i)))) continue;
      }
      if (b.slice(0, end).replace(/[^\p{L}\p{N}]/gu, '').length < MIN_SENTENCE_CHARS) continue;
      return end;
    }
    if (b.length > this.maxChars) {
      const window = b.slice(0, this.maxChars);
      const at = Math.max(window.lastIndexOf(', '), window.lastIndexOf(' '));
      return at > 0 ? at + 1 : this.maxChars;
    }
    return -1;
  }
}

/** A whole text as the sentences a TTS engine speaks one by one (no first-clause cut). */
export function splitSentences(text: string): string[] {
  const splitter = new SentenceSplitter(220, Number.POSITIVE_INFINITY);
  return [...splitter.push(text), ...splitter.flush()];
}
