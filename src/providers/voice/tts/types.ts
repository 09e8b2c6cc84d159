/**
 * Text-to-speech: text → PCM16 24 kHz mono (the OpenAI Realtime output format), streamed sentence
 * by sentence so playback starts after the first sentence, cancellable with an AbortSignal.
 */
import type { VoiceId } from '../../../shared/voices.js';

export { VOICE_IDS, type VoiceId } from '../../../shared/voices.js';
export type TtsLanguage = 'en' | 'fr';

export interface SynthesizeOptions {
  voice: VoiceId;
  language?: TtsLanguage;
  signal?: AbortSignal;
}

export interface TtsChunk {
  /** PCM16 little-endian, 24 kHz, mono; an even number of bytes. */
  pcm: Buffer;
  /** Index of the sentence this audio belongs to. */
  sentenceIndex: number;
  sentence: string;
}

export interface TtsCapabilities {
  languages: readonly TtsLanguage[];
  sampleRate: 24_000;
  /** 'sentence': audio of a sentence is yielded before the next one is synthesized. */
  streaming: 'sentence';
  voices: readonly VoiceId[];
}

export interface TtsEngine {
  readonly name: string;
  readonly capabilities: TtsCapabilities;
  /** Throws the abort reason when `signal` aborts (and kills the synthesizer processes). */
  synthesize(text: string, options: SynthesizeOptions): AsyncIterable<TtsChunk>;
}
