/**
 * Audio in → user turns. Owns what the client's audio becomes: the 24 → 16 kHz downsampler, the
 * VAD stream and its events, the turn being spoken (an explicit phase: idle → speaking ⇄ paused →
 * idle), its streaming STT utterance, the early reply prepared at a pause, the barge-in timer and
 * backchannels; or, without turn detection, the buffer the client commits by hand. A finished turn
 * is handed to the session (`TurnHost.commit`), which owns items and responses.
 *
 * With a streaming STT the utterance is decoded while it is spoken (from the VAD's speech_started,
 * prefix padding included), so at speech_stopped only the last frames are left to decode, and the
 * reply is prepared while the VAD waits for the closing silence (early-reply.ts).
 */
import { concatPcm16 } from '../audio.js';
import type { Clock, ClockTimer } from '../clock.js';
import type { SttStream } from '../stt/types.js';
import type { VadEvent, VadStream } from '../vad/types.js';
import { isBackchannel } from './barge-in.js';
import type { EarlyReply } from './early-reply.js';
import { newId } from './ids.js';
import type { OutgoingEvent } from '../../../shared/realtime-protocol.js';
import { Downsampler24to16 } from './resample.js';
import { vadOptions, type SessionState } from './session-config.js';
import type { RealtimeLogger, RealtimeStages } from './stages.js';

/** Where the user's turn is: nobody speaking, speaking, or silent for a while inside a turn (it may be about to end). */
export type TurnPhase = 'idle' | 'speaking' | 'paused';

/** A turn that ended (VAD, the client's commit, or the utterance limit), for the session to commit. */
export interface FinishedTurn {
  itemId: string;
  /** Session ms: when the turn started, and when it ended. */
  startMs: number;
  endedAtMs: number;
  /** The utterance at 16 kHz (what the STT got). */
  audio: Int16Array;
  transcript: Promise<string | undefined>;
  /** Ended by turn detection: a response follows (if `create_response`). False: the client committed. */
  auto: boolean;
  /** The reply prepared at the last pause, if any (the session uses it or throws it away). */
  early?: EarlyReply | undefined;
}

/** What turn-taking needs from the session. */
export interface TurnHost {
  readonly state: SessionState;
  readonly stages: RealtimeStages;
  readonly logger: RealtimeLogger;
  readonly clock: Clock;
  /** Prepare replies at pauses (needs a streaming STT with `hypothesis`). */
  readonly earlyReplies: boolean;
  /** Longest turn: a turn still going after this much audio is ended and committed. */
  readonly maxUtteranceMs: number;
  /** ms since the session started. */
  now(): number;
  send(event: OutgoingEvent): void;
  /** The assistant is generating or its audio is still playing. */
  audible(): boolean;
  /** A response is running. */
  responding(): boolean;
  /** A response could start now (the session's response limits): else no reply is prepared early. */
  mayRespond(): boolean;
  /** Barge-in: cancel the reply, or cut one still playing. */
  interrupt(): void;
  /** Starts preparing the reply to `text` as if the turn ended now. */
  prepareReply(text: string): EarlyReply | undefined;
  commit(turn: FinishedTurn): void;
  track(promise: Promise<unknown>): void;
}

interface OpenTurn {
  itemId: string;
  startMs: number;
  phase: 'speaking' | 'paused';
  /** Where the turn's audio starts in the VAD stream (ms), for the utterance limit. */
  audioStartMs: number;
  /** The assistant was audible when this turn started: it may be a barge-in or a backchannel. */
  overlapping: boolean;
  interrupted: boolean;
  bargeInTimer?: ClockTimer | undefined;
  /** The utterance being decoded as it is spoken (streaming STT only), and how many samples it got. */
  stt?: SttStream | undefined;
  sttSamples: number;
  /** Pauses so far: a guess is only kept for the pause it was made in. */
  pauses: number;
  early?: EarlyReply | undefined;
  /** The STT's guess at the last pause, and how many samples it had then. */
  guess?: { text: string; final: boolean; samples: number } | undefined;
}

export const MIN_COMMIT_SAMPLES = 1600; // 100 ms at 16 kHz
/** Silence kept after the last speech frame when the VAD's closing silence is cut off before STT. */
const STT_TAIL_MS = 150;

/** The VAD utterance without most of the silence that closed it: STT time grows with audio length. */
function trimTrailingSilence(event: Extract<VadEvent, { type: 'speech_stopped' }>): Int16Array {
  const extraMs = Math.max(0, event.audioEndMs - event.speechEndMs - STT_TAIL_MS);
  const keep = Math.max(MIN_COMMIT_SAMPLES, event.audio.length - Math.floor(extraMs * 16));
  return event.audio.subarray(0, Math.min(event.audio.length, keep));
}

export class UserTurns {
  private vad: VadStream | undefined;
  /** Audio ms fed to previous VAD streams (VAD times are per stream), and to this one. */
  private vadOffsetMs = 0;
  private vadFedMs = 0;
  private readonly downsampler = new Downsampler24to16();
  /** Without turn detection: the audio the client will commit. */
  private manual: Int16Array[] = [];
  private manualSamples = 0;
  private manualStartMs: number | undefined;
  private turn: OpenTurn | undefined;

  constructor(private readonly host: TurnHost) {}

  get phase(): TurnPhase {
    return this.turn?.phase ?? 'idle';
  }

  /** Audio held for the next commit without turn detection, in samples at 16 kHz. */
  get bufferedSamples(): number {
    return this.manualSamples;
  }

  /** Client audio (PCM16 24 kHz). */
  async append(pcm24k: Int16Array): Promise<void> {
    const samples = this.downsampler.push(pcm24k);
    const options = vadOptions(this.host.state.turnDetection);
    if (!options) {
      this.manualStartMs ??= this.host.now();
      this.manual.push(samples);
      this.manualSamples += samples.length;
      return;
    }
    this.vad ??= await this.host.stages.vad.createStream(options);
    this.vadFedMs += samples.length / 16;
    for (const event of await this.vad.push(samples)) this.onVad(event, 'vad');
    const turn = this.turn;
    if (turn && this.vadFedMs - turn.audioStartMs >= this.host.maxUtteranceMs) {
      // As OpenAI does with a turn that does not end: it is ended and committed here.
      this.host.logger.info({ itemId: turn.itemId, maxUtteranceMs: this.host.maxUtteranceMs }, 'utterance limit: turn ended');
      for (const event of this.vad.flush()) this.onVad(event, 'limit');
    }
  }

  /**
   * `input_audio_buffer.commit`. With turn detection it closes the open turn (no response follows
   * on its own); without, it commits the buffer. False when there was nothing to commit.
   */
  commit(): boolean {
    if (this.host.state.turnDetection) {
      const events = this.vad?.flush() ?? [];
      events.forEach((e) => this.onVad(e, 'client'));
      return events.some((e) => e.type === 'speech_stopped');
    }
    if (this.manualSamples < MIN_COMMIT_SAMPLES) return false;
    const audio = concatPcm16(this.manual);
    const startMs = this.manualStartMs ?? this.host.now();
    this.manual = [];
    this.manualSamples = 0;
    this.manualStartMs = undefined;
    this.host.commit({ itemId: newId('item'), startMs, endedAtMs: this.host.now(), audio, transcript: this.transcribe(audio), auto: false });
    return true;
  }

  /** `input_audio_buffer.clear`, a turn-detection change, or the session closing: drop everything in flight. */
  reset(): void {
    this.vadOffsetMs += this.vadFedMs;
    this.vadFedMs = 0;
    this.vad = undefined;
    this.downsampler.reset();
    this.manual = [];
    this.manualSamples = 0;
    this.manualStartMs = undefined;
    const turn = this.turn;
    this.turn = undefined;
    turn?.bargeInTimer?.cancel();
    turn?.stt?.cancel();
    turn?.early?.cancel();
  }

  // --- VAD events -----------------------------------------------------------------------------

  private onVad(event: VadEvent, by: 'vad' | 'client' | 'limit'): void {
    switch (event.type) {
      case 'speech_started':
        return this.started(event);
      case 'speech_audio':
        return this.resumedOrGoingOn(event.audio);
      case 'speech_paused':
        return this.paused();
      case 'speech_stopped':
        return this.stopped(event, by);
    }
  }

  private started(event: Extract<VadEvent, { type: 'speech_started' }>): void {
    const { host } = this;
    const overlapping = host.audible() && host.state.turnDetection?.interrupt_response !== false;
    const stt = this.openStt(event.audio);
    const turn: OpenTurn = {
      itemId: newId('item'),
      startMs: host.now(),
      phase: 'speaking',
      audioStartMs: event.audioStartMs,
      overlapping,
      interrupted: false,
      stt,
      sttSamples: stt ? event.audio.length : 0,
      pauses: 0,
    };
    if (overlapping) {
      // Speech that ended before bargeInMinMs is reported by speech_stopped within
      // bargeInMinMs + silence; still speaking at that point means it is a barge-in.
      const silenceMs = vadOptions(host.state.turnDetection)?.silenceDurationMs ?? 500;
      turn.bargeInTimer = host.clock.setTimeout(() => {
        if (this.turn !== turn) return;
        turn.interrupted = true;
        host.interrupt();
      }, host.state.bargeIn.bargeInMinMs + silenceMs);
    }
    this.turn = turn;
    host.send({ type: 'input_audio_buffer.speech_started', item_id: turn.itemId, audio_start_ms: Math.round(this.vadOffsetMs + event.audioStartMs) });
  }

  private resumedOrGoingOn(audio: Int16Array): void {
    const turn = this.turn;
    if (!turn) return;
    if (turn.stt) this.writeStt(turn, audio);
    if (turn.phase === 'paused') {
      // Speech resumed after a pause: the guess and the reply prepared for it are moot.
      turn.phase = 'speaking';
      turn.early?.cancel();
      turn.early = undefined;
      turn.guess = undefined;
    }
  }

  private paused(): void {
    const turn = this.turn;
    if (!turn || turn.phase !== 'speaking') return;
    turn.phase = 'paused';
    turn.pauses++;
    if (this.canReplyEarly(turn)) this.host.track(this.prepareEarlyReply(turn));
  }

  private stopped(event: Extract<VadEvent, { type: 'speech_stopped' }>, by: 'vad' | 'client' | 'limit'): void {
    const { host } = this;
    const turn: OpenTurn = this.turn ?? { itemId: newId('item'), startMs: host.now(), phase: 'speaking', audioStartMs: event.audioEndMs, overlapping: false, interrupted: false, sttSamples: 0, pauses: 0 };
    this.turn = undefined;
    turn.bargeInTimer?.cancel();
    host.send({ type: 'input_audio_buffer.speech_stopped', item_id: turn.itemId, audio_end_ms: Math.round(this.vadOffsetMs + event.audioEndMs) });
    const utterance = trimTrailingSilence(event);
    // Streaming: the speech (and the start of the closing silence) is decoded already. Up to the
    // tail the batch path keeps, add what the VAD held back (usually nothing), then finish.
    if (turn.stt) this.writeStt(turn, utterance.subarray(turn.sttSamples));
    const known = turn.guess?.final && turn.guess.samples === turn.sttSamples ? turn.guess.text : undefined;
    const transcript = turn.stt ? this.finishStt(turn.stt, known) : this.transcribe(utterance);
    const early = by === 'client' ? undefined : turn.early;
    if (by === 'client') turn.early?.cancel();
    turn.early = undefined;
    const short = event.speechEndMs - event.speechStartMs < host.state.bargeIn.bargeInMinMs;
    if (turn.overlapping && !turn.interrupted && by === 'vad' && short) {
      early?.cancel();
      return host.track(this.shortUtterance(turn, utterance, transcript));
    }
    if (turn.overlapping && !turn.interrupted) host.interrupt();
    host.commit({ itemId: turn.itemId, startMs: turn.startMs, endedAtMs: host.now(), audio: utterance, transcript, auto: by !== 'client', early });
  }

  /** Early replies: with a streaming STT, when nothing else is going on and the turn will get a reply. */
  private canReplyEarly(turn: OpenTurn): boolean {
    const { host } = this;
    return (
      host.earlyReplies &&
      turn.stt?.hypothesis !== undefined &&
      !turn.overlapping &&
      !host.responding() &&
      !host.audible() &&
      host.state.turnDetection?.create_response !== false &&
      host.mayRespond()
    );
  }

  /** The speaker paused: prepare the reply to what they said so far (used if the turn ends now). */
  private async prepareEarlyReply(turn: OpenTurn): Promise<void> {
    const pause = turn.pauses;
    const samples = turn.sttSamples;
    const guess = await turn.stt!.hypothesis!();
    // Still the same pause of the same turn (speech did not resume, the turn did not end)?
    if (!guess || this.turn !== turn || turn.phase !== 'paused' || turn.pauses !== pause) return;
    turn.guess = { ...guess, samples };
    if (guess.text) turn.early = this.host.prepareReply(guess.text);
  }

  /** A short utterance over the assistant's voice: ignore a backchannel, otherwise interrupt. */
  private async shortUtterance(turn: OpenTurn, audio: Int16Array, transcript: Promise<string | undefined>): Promise<void> {
    const { host } = this;
    const endedAtMs = host.now();
    const text = await transcript;
    if (text !== undefined && isBackchannel(text)) {
      host.logger.debug({ transcript: text }, 'backchannel ignored');
      return;
    }
    host.interrupt();
    host.commit({ itemId: turn.itemId, startMs: turn.startMs, endedAtMs, audio, transcript: Promise.resolve(text ?? ''), auto: true });
  }

  // --- STT ------------------------------------------------------------------------------------

  private get sttOptions(): { language?: 'en' | 'fr' } {
    const language = this.host.state.language;
    return language ? { language } : {};
  }

  /** A streaming STT utterance started with the audio the VAD has so far; undefined for a batch STT. */
  private openStt(audio: Int16Array): SttStream | undefined {
    const stt = this.host.stages.stt;
    if (!stt.capabilities.streaming || !stt.openStream) return undefined;
    try {
      const stream = stt.openStream(this.sttOptions);
      stream.write(audio);
      return stream;
    } catch (err) {
      this.host.logger.warn({ err }, 'streaming transcription not started');
      return undefined;
    }
  }

  private writeStt(turn: OpenTurn, samples: Int16Array): void {
    turn.sttSamples += samples.length;
    turn.stt!.write(samples);
  }

  /**
   * The transcript of a streamed turn. `known`: the STT's final guess at the pause, with no audio
   * written since — it is the transcript (the decoder is still finished, to free it).
   */
  private async finishStt(stream: SttStream, known?: string): Promise<string | undefined> {
    if (known !== undefined) {
      void stream.finish().then(
        ({ text }) => text !== known && this.host.logger.warn({}, 'streaming STT: final guess and transcript differ'),
        () => undefined,
      );
      return known;
    }
    try {
      return (await stream.finish()).text;
    } catch (err) {
      this.host.logger.warn({ err }, 'transcription failed');
      return undefined;
    }
  }

  private async transcribe(audio: Int16Array): Promise<string | undefined> {
    try {
      return (await this.host.stages.stt.transcribe(audio, this.sttOptions)).text;
    } catch (err) {
      this.host.logger.warn({ err }, 'transcription failed');
      return undefined;
    }
  }
}
