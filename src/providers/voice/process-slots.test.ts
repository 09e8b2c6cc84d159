import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../tests/helpers/manual-clock.js';
import { BusyError, ProcessSlots } from './process-slots.js';

describe('ProcessSlots (the global cap on speech processes)', () => {
  it('runs at most `max` jobs; the others wait in order and get the slots as they free', async () => {
    const clock = new ManualClock();
    const slots = new ProcessSlots({ max: 2, queueTimeoutMs: 10_000, code: 'tts_busy', clock });
    const order: string[] = [];
    const take = (name: string) => slots.acquire().then((release) => (order.push(name), release));
    const [a, b] = await Promise.all([take('a'), take('b')]);
    const c = take('c');
    const d = take('d');
    await clock.advance(0);
    expect([slots.running, slots.waiting, order]).toEqual([2, 2, ['a', 'b']]);
    b();
    b(); // twice: still one slot
    await clock.advance(0);
    expect([slots.running, slots.waiting, order]).toEqual([2, 1, ['a', 'b', 'c']]);
    a();
    (await c)();
    (await d)();
    expect([slots.running, slots.waiting, order]).toEqual([0, 0, ['a', 'b', 'c', 'd']]);
  });

  it('a job that waits longer than queueTimeoutMs fails with a BusyError carrying the code; the queue moves on', async () => {
    const clock = new ManualClock();
    const slots = new ProcessSlots({ max: 1, queueTimeoutMs: 5_000, code: 'stt_busy', clock });
    const first = await slots.acquire();
    const late = slots.acquire();
    late.catch(() => undefined);
    await clock.advance(4_999);
    expect(slots.waiting).toBe(1);
    await clock.advance(1);
    await expect(late).rejects.toMatchObject({ name: 'BusyError', code: 'stt_busy' });
    expect(slots.waiting).toBe(0);
    first();
    expect(slots.running).toBe(0);
    await expect(slots.run(async () => 'ran')).resolves.toBe('ran');
  });

  it('maxWaiting: beyond it a job fails at once; an aborted wait leaves the queue', async () => {
    const clock = new ManualClock();
    const slots = new ProcessSlots({ max: 1, queueTimeoutMs: 5_000, maxWaiting: 1, code: 'tts_busy', clock });
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    await expect(slots.acquire()).rejects.toBeInstanceOf(BusyError);
    controller.abort(new DOMException('barge-in', 'AbortError'));
    await expect(waiting).rejects.toThrow('barge-in');
    expect(slots.waiting).toBe(0);
    release();
    expect(slots.running).toBe(0);
  });
});
