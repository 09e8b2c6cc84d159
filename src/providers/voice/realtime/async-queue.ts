/** A single-consumer async queue: the LLM side pushes sentences, the TTS side iterates them. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.signal();
  }

  end(error?: unknown): void {
    this.ended = true;
    this.error = error;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length) yield this.items.shift()!;
      else if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      } else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
