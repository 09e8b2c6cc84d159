/**
 * Cuts streamed LLM text into speakable sentences so TTS can start on the first one while the
 * model is still writing. A sentence ends at . ! ? … ; : or a newline followed by whitespace;
 * common abbreviations and decimals ("Dr.", "e.g.", "3.5") do not end a sentence. Very long
 * runs without punctuation are cut at a comma or space after `maxChars`.
 *
 * The first piece of a reply is cut at its first comma too (when `firstClauseMinWords` words come
 * before it): TTS time grows with the length of the text, and only the first piece is waited for —
 * the rest is synthesised while it plays.
 */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'no', 'mme', 'mlle', 'm', 'p', 'ex']);

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
      const next = b[i + 1]!;
      if (ch === '\n' && b.slice(0, i).trim()) return i + 1;
      if (ch === ',' && this.first && /\s/.test(next) && !/\d$/.test(b.slice(0, i)) && b.slice(0, i).trim().split(/\s+/).length >= this.firstClauseMinWords) return i + 1;
      if (!/[.!?…;:]/.test(ch) || !/\s/.test(next)) continue;
      if (ch === '.') {
        const word = /([\p{L}.]+)$/u.exec(b.slice(0, i))?.[1]?.toLowerCase() ?? '';
        if (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(b[i - 1] ?? '') && /\s\p{Lu}$/u.test(b.slice(Math.max(0, i - 2), i))) continue;
      }
      return i + 1;
    }
    if (b.length > this.maxChars) {
      const window = b.slice(0, this.maxChars);
      const at = Math.max(window.lastIndexOf(', '), window.lastIndexOf(' '));
      return at > 0 ? at + 1 : this.maxChars;
    }
    return -1;
  }
}
