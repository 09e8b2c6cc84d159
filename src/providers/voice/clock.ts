/**
 * Time for the voice engine: every "now" and every timer of the realtime engine (and of the
 * process slots the speech stages share) goes through a Clock, so tests drive time by hand
 * (tests/helpers/manual-clock.ts) instead of sleeping.
 */
export interface ClockTimer {
  /** Stops the timer; safe to call after it fired or twice. */
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (an arbitrary origin: only differences mean something). */
  now(): number;
  /** Calls `callback` once, `ms` from now. The timer never keeps the process alive. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
}

/** The real clock: performance.now() and unref'd timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
