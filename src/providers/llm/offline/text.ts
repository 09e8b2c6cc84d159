/** Small text helpers shared by the offline engine's agents. */

/** Lowercase, accents stripped, typographic apostrophes unified: what intent rules match against. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’`´]/g, "'")
    .toLowerCase();
}

export function wordCount(text: string): number {
  return text.trim() === '' ? 0 : text.trim().split(/\s+/).length;
}

/**
 * Streaming chunks of a few words, each word with the whitespace before it. The engine has the
 * whole reply at once, and every delta costs a trip through each LLM layer (timeouts, metering,
 * fallback) and to the client; word-by-word deltas were a tenth of a chat send's CPU.
 */
export function streamChunks(text: string, wordsPerChunk = 4): string[] {
  const words = text.match(/\s*\S+\s*$|\s*\S+/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}

/** FNV-1a: a stable hash so "random" template choices are deterministic. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function pick<T>(options: readonly T[], seed: number): T {
  const item = options[seed % options.length];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}

/** Shortens a quote to at most `maxWords` words. */
export function excerpt(text: string, maxWords: number): string {
  const words = text.trim().split(/\s+/);
  return words.length <= maxWords ? text.trim() : `${words.slice(0, maxWords).join(' ')}…`;
}

/** Joins items as "a, b and c" / "a, b et c". */
export function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}
