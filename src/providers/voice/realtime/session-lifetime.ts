/**
 * When a session starts and ends: the app's `mayStart` decision, the maximum-duration and idle
 * timers (on the session's clock), and the `onStart` / `onEnd` hooks with the session's duration.
 * The session tells it what happens (`started`, `activity`, `stopped`); it asks the session to end
 * (`end`) when a time limit is reached.
 */
import type { Clock, ClockTimer } from '../clock.js';
import type { SessionCloseReason, SessionEndReason } from './session-end.js';
import type { RealtimeLimits } from './session-limits.js';
import type { RealtimeIdentity, RealtimeLogger } from './stages.js';

/** A session as the app's hooks see it. */
export interface SessionInfo {
  sessionId: string;
  identity: RealtimeIdentity;
}

/** `mayStart`'s answer: start, or refuse with an error code (default `session_refused`), a message and a close code (default 4403). */
export type StartDecision = { ok: true } | { ok: false; code?: string; message?: string; closeCode?: number };

export interface LifetimeHooks {
  /** Asked before `session.created`: may this session start? (one-time credentials, concurrency). */
  mayStart?(info: SessionInfo): StartDecision | Promise<StartDecision>;
  /** The session started (after `session.created`). */
  onStart?(info: SessionInfo): void;
  /** The session ended (only sessions that started), with how long it lasted (voice-minute metering). */
  onEnd?(info: SessionInfo & { durationMs: number; reason: SessionCloseReason }): void;
}

export interface LifetimeHost {
  readonly clock: Clock;
  readonly logger: RealtimeLogger;
  readonly limits: Pick<RealtimeLimits, 'maxSessionMs' | 'idleTimeoutMs'>;
  info(): SessionInfo;
  /** ms since the session was created. */
  now(): number;
  /** Until when (session ms) the assistant is generating or audible: that time is not the client being idle. */
  busyUntil(): number;
  end(reason: SessionEndReason): void;
}

export class SessionLifetime {
  private startedAtMs: number | undefined;
  private durationTimer: ClockTimer | undefined;
  private idleTimer: ClockTimer | undefined;
  private lastActivityMs = 0;
  private ended = false;

  constructor(private readonly host: LifetimeHost, private readonly hooks: LifetimeHooks) {}

  /** The app's decision; a hook that throws refuses the session. */
  async admit(): Promise<StartDecision> {
    if (!this.hooks.mayStart) return { ok: true };
    try {
      return await this.hooks.mayStart(this.host.info());
    } catch (err) {
      this.host.logger.warn({ err, sessionId: this.host.info().sessionId }, 'realtime mayStart failed: session refused');
      return { ok: false };
    }
  }

  /** `session.created` was sent: the clocks start, `onStart` runs. */
  started(): void {
    const { clock, limits } = this.host;
    this.startedAtMs = this.host.now();
    this.durationTimer = clock.setTimeout(() => this.host.end('session_expired'), limits.maxSessionMs);
    this.activity();
    this.hooks.onStart?.(this.host.info());
  }

  /** Client activity (audio, text, a response asked for): the idle time starts again. */
  activity(): void {
    if (this.startedAtMs === undefined || this.ended) return;
    this.lastActivityMs = this.host.now();
    this.idleTimer ??= this.host.clock.setTimeout(() => this.idle(), this.host.limits.idleTimeoutMs);
  }

  /**
   * One timer per idle period: when it fires early (there was activity since) it waits for the
   * rest. The idle time counts from the end of the assistant's audio when that is later.
   */
  private idle(): void {
    this.idleTimer = undefined;
    const now = this.host.now();
    const left = Math.max(this.lastActivityMs, this.host.busyUntil()) + this.host.limits.idleTimeoutMs - now;
    if (left > 0) this.idleTimer = this.host.clock.setTimeout(() => this.idle(), left);
    else this.host.end('idle_timeout');
  }

  /** The session is over: timers stop, `onEnd` runs once (if it had started). */
  stopped(reason: SessionCloseReason): void {
    if (this.ended) return;
    this.ended = true;
    this.durationTimer?.cancel();
    this.idleTimer?.cancel();
    if (this.startedAtMs === undefined) return;
    try {
      this.hooks.onEnd?.({ ...this.host.info(), durationMs: this.host.now() - this.startedAtMs, reason });
    } catch (err) {
      this.host.logger.warn({ err }, 'realtime onEnd failed');
    }
  }
}
