/**
 * The one async queue of the voice stages and the engine: a producer pushes items (LLM sentences,
 * PCM chunks, prepared LLM events), one consumer reads them in order while they still arrive.
 * Items pushed before the consumer starts are kept, so a reader that comes late (an early reply
 * claimed at the end of a turn) still gets everything from the start.
 */
import { abortError } from './child-process.js';

export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private error: unknown;
  private wake: (() => void) | undefined;
  private reading = false;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.signal();
  }

  /** No more items; with `error`, the reader throws it after the items already pushed. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.signal();
  }

  get size(): number {
    return this.items.length;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Reads the items as they come (once: a second reader is an error). Throws the abort reason when `signal` aborts. */
  async *read(signal?: AbortSignal): AsyncGenerator<T> {
    if (this.reading) throw new Error('AsyncQueue has one reader');
    this.reading = true;
    const onAbort = (): void => this.signal();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        if (this.items.length) yield this.items.shift()!;
        else if (this.ended) {
          if (this.error !== undefined) throw this.error;
          return;
        } else await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.read();
  }
}
