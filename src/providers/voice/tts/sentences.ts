/**
 * Cuts text into sentences for sentence-by-sentence synthesis. Works on a stream (LLM deltas):
 * `push` returns the sentences completed so far, `flush` the rest.
 */
const END = /[.!?…]+["')\]»]*(?=\s)|\n+/g;

export class SentenceChunker {
  private buffer = '';

  push(delta: string): string[] {
    this.buffer += delta;
    const out: string[] = [];
    let last = 0;
    for (const match of this.buffer.matchAll(END)) {
      const end = match.index + match[0].length;
      const sentence = this.buffer.slice(last, end).trim();
      // Very short pieces ("Dr.", "1.") are kept for the next sentence.
      if (sentence.replace(/[^\p{L}\p{N}]/gu, '').length < 3 && !match[0].includes('\n')) continue;
      if (sentence) out.push(sentence);
      last = end;
    }
    this.buffer = this.buffer.slice(last);
    return out;
  }

  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }
}

export function splitSentences(text: string): string[] {
  const chunker = new SentenceChunker();
  return [...chunker.push(text), ...chunker.flush()];
}
