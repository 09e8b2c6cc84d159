import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';

const drain = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

describe('AsyncQueue', () => {
  it('gives a late reader every item from the start, then the ones still arriving', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    const read = drain(queue);
    queue.push(3);
    queue.end();
    queue.push(4); // after the end: dropped
    expect(await read).toEqual([1, 2, 3]);
  });

  it('throws the producer error after the items pushed before it', async () => {
    const queue = new AsyncQueue<string>();
    const seen: string[] = [];
    queue.push('a');
    queue.end(new Error('boom'));
    await expect((async () => {
      for await (const item of queue) seen.push(item);
    })()).rejects.toThrow('boom');
    expect(seen).toEqual(['a']);
  });

  it('a reader waiting for the next item stops at once when its signal aborts', async () => {
    const queue = new AsyncQueue<number>();
    const controller = new AbortController();
    const read = drain(queue.read(controller.signal));
    queue.push(1);
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(read).rejects.toThrow('stop');
  });

  it('has one reader', async () => {
    const queue = new AsyncQueue<number>();
    void queue.read().next();
    await expect(queue.read().next()).rejects.toThrow('one reader');
  });
});
