/**
 * A clock that moves only when the test says so. Timers fire in time order during `advance`, and
 * after each one (and at the end) the promise jobs it caused run to completion (`settle`), so a
 * test reads like the timeline it checks: no sleeps, no timing windows.
 */
import type { Clock, ClockTimer } from '../../src/providers/voice/clock.js';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * Runs every promise job already queued and every job they queue, until nothing is left: a
 * macrotask turn (setImmediate) runs only once the microtask queue is empty. Fakes that never
 * wait on real I/O or real timers are therefore settled after one turn; two make it robust to a
 * `process.nextTick` scheduled from a macrotask callback.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = 1_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: Pending = { at: this.time + Math.max(0, ms), seq: ++this.seq, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing due timers in order (settling after each). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.time = next.at;
      next.cancelled = true;
      next.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}
