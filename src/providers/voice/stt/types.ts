/**
 * Speech-to-text: 16 kHz PCM16 mono → transcript. Every engine transcribes a finished utterance
 * (`transcribe`); streaming engines also decode an utterance while it is spoken (`openStream`), so
 * only the last few hundred ms are left to decode when the turn ends.
 */
export interface SttCapabilities {
  languages: readonly ('en' | 'fr')[];
  sampleRates: readonly number[];
  /** `openStream` is available: audio is decoded as it arrives, with partial transcripts. */
  streaming: boolean;
  /** Models stay loaded between utterances (no per-utterance start-up cost). */
  warm: boolean;
}

export interface TranscribeOptions {
  language?: 'en' | 'fr';
  signal?: AbortSignal;
}

export interface Transcript {
  text: string;
  /** Time from the call (`transcribe`, or a stream's `finish`) to the transcript, queueing included. */
  latencyMs: number;
}

export interface SttStreamOptions extends TranscribeOptions {
  /** The best guess so far, while audio arrives (may change; not called after `finish`). */
  onPartial?: (text: string) => void;
}

/** One utterance being decoded while it is spoken. */
export interface SttStream {
  /** More audio of the utterance (16 kHz PCM16 mono); ignored after `finish` or `cancel`. */
  write(pcm16k: Int16Array): void;
  /** No more audio: resolves with the transcript (rejects on failure, timeout or abort). */
  finish(): Promise<Transcript>;
  /** Drops the utterance (barge-in, cleared buffer, closed session); a pending `finish` rejects. */
  cancel(): void;
  /**
   * The best transcript of the audio written so far, without ending the utterance (an early reply
   * can start on it while the turn may still go on). Null when it is not available yet (the
   * utterance waits for a decoder). `final`: `finish()` gives exactly this text if no more audio
   * is written (else it is only a guess).
   */
  hypothesis?(): Promise<{ text: string; final: boolean } | null>;
}

export interface SttEngine {
  readonly name: string;
  readonly capabilities: SttCapabilities;
  transcribe(audio: Int16Array, options?: TranscribeOptions): Promise<Transcript>;
  /** Present when `capabilities.streaming`: starts an utterance that is decoded as it is written. */
  openStream?(options?: SttStreamOptions): SttStream;
  /** Loads models now rather than on the first utterance. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}
