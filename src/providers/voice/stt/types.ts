/** Speech-to-text: one finished utterance (16 kHz PCM16 mono, as cut by the VAD) → its transcript. */
export interface SttCapabilities {
  languages: readonly ('en' | 'fr')[];
  sampleRates: readonly number[];
  /** Partial transcripts while audio arrives (false: one transcript per utterance). */
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
  /** Time from the call to the transcript (queueing included). */
  latencyMs: number;
}

export interface SttEngine {
  readonly name: string;
  readonly capabilities: SttCapabilities;
  transcribe(audio: Int16Array, options?: TranscribeOptions): Promise<Transcript>;
  /** Loads models now rather than on the first utterance. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}
