/**
 * A global cap on the speech stages' child processes: a job (a sentence to synthesise, an
 * utterance to decode) takes a slot before it spawns or uses a process, and gives it back when it
 * is done. Jobs beyond the cap wait in order, each at most `queueTimeoutMs`: then it fails with a
 * `BusyError` (its `code` — `tts_busy`, `stt_busy` — becomes the failed response's code), and the
 * realtime session goes on. One instance per engine, shared by every session of the process.
 */
import { abortError } from './child-process.js';
import { systemClock, type Clock, type ClockTimer } from './clock.js';

export class BusyError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'BusyError';
  }
}

export interface ProcessSlotsOptions {
  /** Jobs at once. */
  max: number;
  /** Longest wait for a slot. */
  queueTimeoutMs: number;
  /** Most jobs waiting; more fail at once. Default: unbounded (the timeout bounds the wait). */
  maxWaiting?: number;
  /** Code of the BusyError (`tts_busy`, `stt_busy`). */
  code: string;
  clock?: Clock;
}

interface Waiter {
  grant(): void;
  timer: ClockTimer;
}

export class ProcessSlots {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private readonly clock: Clock;

  constructor(private readonly options: ProcessSlotsOptions) {
    if (options.max < 1) throw new RangeError('ProcessSlots needs at least one slot');
    this.clock = options.clock ?? systemClock;
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with `release` (idempotent) once a slot is free; rejects with BusyError or the abort reason. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.active < this.options.max) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    const { maxWaiting, code, queueTimeoutMs } = this.options;
    if (maxWaiting !== undefined && this.waiters.length >= maxWaiting) {
      return Promise.reject(new BusyError(code, `${this.waiters.length} jobs already wait for a speech process`));
    }
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        leave();
        waiter.timer.cancel();
        reject(abortError(signal!));
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          waiter.timer.cancel();
          this.active++;
          resolve(this.releaser());
        },
        timer: this.clock.setTimeout(() => {
          leave();
          reject(new BusyError(code, `no speech process free within ${queueTimeoutMs} ms`));
        }, queueTimeoutMs),
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs `job` in a slot (not at all if `signal` aborted meanwhile). */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      if (signal?.aborted) throw abortError(signal);
      return await job();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters[0]?.grant();
    };
  }
}
