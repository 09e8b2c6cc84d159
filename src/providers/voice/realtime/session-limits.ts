/**
 * The limits every realtime session runs under (size, rate, count and time), their defaults, and
 * the two meters that enforce the rates: a token bucket on audio (audio ms vs wall-clock ms) and a
 * sliding one-minute window on responses. What happens at each limit is in docs/realtime-engine.md.
 */
import type { Clock } from '../clock.js';

export interface RealtimeLimits {
  /** Longest session; then `session_expired` and close 4408. Default 30 min. */
  maxSessionMs: number;
  /** No audio or text from the client for this long (while no response runs): `idle_timeout`, close 4408. Default 2 min. */
  idleTimeoutMs: number;
  /** Largest decoded `input_audio_buffer.append` (PCM16 24 kHz bytes): refused above. Default 480,000 (10 s). */
  maxAppendBytes: number;
  /** Largest uncommitted input buffer without turn detection (decoded bytes): appends refused above. Default 2,880,000 (60 s). */
  maxInputBufferBytes: number;
  /** Longest user turn with turn detection: then it is ended and committed (as OpenAI does). Default 60 s. */
  maxUtteranceMs: number;
  /** Audio may run ahead of wall-clock time by this much (the token bucket's size); appends beyond are refused. Default 10 s. */
  audioBurstMs: number;
  /** Responses (voice and text turns alike) per sliding minute. Default 30. */
  maxResponsesPerMinute: number;
  /** Responses per session. Default 500. */
  maxResponses: number;
  /** Conversation items per session. Default 2,000. */
  maxItems: number;
  /** Estimated tokens of the history sent to the LLM (instructions and the newest turn always kept). Default 4,000. */
  historyTokenBudget: number;
  /** Bytes queued on the socket (not yet taken by the client) before it is closed as a slow consumer. Default 8 MiB. */
  maxBufferedBytes: number;
  /**
   * `error` events the client may cause per sliding minute (refused appends, policy refusals,
   * malformed frames…); one more ends the session (`too_many_errors`, close 4429). Default:
   * unlimited (the engine's own behaviour: refuse and go on); the app sets one.
   */
  maxErrorsPerMinute: number;
}

export const DEFAULT_LIMITS: RealtimeLimits = {
  maxSessionMs: 30 * 60_000,
  idleTimeoutMs: 2 * 60_000,
  maxAppendBytes: 480_000,
  maxInputBufferBytes: 2_880_000,
  maxUtteranceMs: 60_000,
  audioBurstMs: 10_000,
  maxResponsesPerMinute: 30,
  maxResponses: 500,
  maxItems: 2_000,
  historyTokenBudget: 4_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxErrorsPerMinute: Number.POSITIVE_INFINITY,
};

/** Events per sliding minute (only the last `max` times are kept). */
export class MinuteCounter {
  private readonly recent: number[] = [];

  constructor(private readonly clock: Clock, private readonly max: number) {}

  /** Counts one event; false when it is one more than `max` within the last minute. */
  take(): boolean {
    if (this.max === Number.POSITIVE_INFINITY) return true;
    const now = this.clock.now();
    while (this.recent.length && this.recent[0]! <= now - 60_000) this.recent.shift();
    if (this.recent.length >= this.max) return false;
    this.recent.push(now);
    return true;
  }
}

/** PCM16 mono at 24 kHz: 48 bytes per ms. */
export const INPUT_BYTES_PER_MS = 48;

/**
 * Audio in at most real time, after a burst: the bucket holds up to `burstMs` of audio credit and
 * refills one ms per wall-clock ms. An append that needs more credit than is left is refused (not
 * buffered) and costs nothing.
 */
export class AudioRateLimiter {
  private credit: number;
  private at: number;

  constructor(private readonly clock: Clock, private readonly burstMs: number) {
    this.credit = burstMs;
    this.at = clock.now();
  }

  /** Takes `audioMs` of credit; false (and nothing taken) when there is not enough. */
  take(audioMs: number): boolean {
    const now = this.clock.now();
    this.credit = Math.min(this.burstMs, this.credit + (now - this.at));
    this.at = now;
    if (audioMs > this.credit) return false;
    this.credit -= audioMs;
    return true;
  }
}

/** Responses per session and per sliding minute. */
export class ResponseBudget {
  private readonly recent: number[] = [];
  private count = 0;

  constructor(private readonly clock: Clock, private readonly limits: Pick<RealtimeLimits, 'maxResponses' | 'maxResponsesPerMinute'>) {}

  /** Which limit a response starting now would hit, if any (nothing counted). */
  check(): 'ok' | 'per_session' | 'per_minute' {
    if (this.count >= this.limits.maxResponses) return 'per_session';
    const now = this.clock.now();
    while (this.recent.length && this.recent[0]! <= now - 60_000) this.recent.shift();
    return this.recent.length >= this.limits.maxResponsesPerMinute ? 'per_minute' : 'ok';
  }

  /** Counts a response if it may start; otherwise says which limit it hit. */
  take(): 'ok' | 'per_session' | 'per_minute' {
    const verdict = this.check();
    if (verdict !== 'ok') return verdict;
    this.recent.push(this.clock.now());
    this.count++;
    return 'ok';
  }
}
