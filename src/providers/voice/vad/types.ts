/**
 * Voice activity detection: turns a stream of 16 kHz PCM16 audio into speech start/stop events,
 * with the semantics of OpenAI's `server_vad` turn detection (threshold, prefix_padding_ms,
 * silence_duration_ms).
 */
export interface VadOptions {
  /** Speech probability (0–1) at or above which a frame counts as speech. Default 0.5. */
  threshold: number;
  /** Audio kept before the detected start and included in the utterance. Default 300 ms. */
  prefixPaddingMs: number;
  /** Silence needed after speech before the turn ends. Default 500 ms. */
  silenceDurationMs: number;
  /** Shortest speech that opens a turn (filters clicks). Default 64 ms. */
  minSpeechMs: number;
  /**
   * Silence inside a turn after which `speech_paused` is reported (the turn may be about to end).
   * Default: `silenceDurationMs` − 300 ms; at least 160 ms.
   */
  pauseMs?: number;
}

export const DEFAULT_VAD_OPTIONS: VadOptions = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500, minSpeechMs: 64 };

export type VadEvent =
  | {
      type: 'speech_started';
      /** Where speech was detected, in ms from the start of the stream. */
      speechStartMs: number;
      /** `speechStartMs` minus the prefix padding (OpenAI's `audio_start_ms`). */
      audioStartMs: number;
      /** The utterance so far (prefix padding + the frames that opened the turn): a streaming STT starts here. */
      audio: Int16Array;
    }
  | {
      /**
       * More audio of the open utterance as it arrives (at most one per `push`), up to ~160 ms after
       * the last frame heard as speech: longer silence is held back until speech resumes (it then
       * comes first). So `speech_started.audio` + every `speech_audio` + the rest of the closing
       * silence = `speech_stopped.audio`, and a streaming STT never decodes the silence that ended
       * the turn: when it ends, the recogniser has (nearly) nothing left to do.
       */
      type: 'speech_audio';
      audio: Int16Array;
    }
  | {
      /**
       * The speaker has been silent `pauseMs` (after the last `speech_audio`): the turn ends unless
       * speech resumes (a `speech_audio` comes next) before `silenceDurationMs`. Once per pause.
       */
      type: 'speech_paused';
      /** End of the last speech frame, in ms from the start of the stream. */
      speechEndMs: number;
    }
  | {
      type: 'speech_stopped';
      speechStartMs: number;
      /** End of the last speech frame, in ms from the start of the stream. */
      speechEndMs: number;
      /** `speechEndMs` plus the silence that closed the turn (OpenAI's `audio_end_ms`). */
      audioEndMs: number;
      /** The utterance at 16 kHz, prefix padding included: what STT receives. */
      audio: Int16Array;
    };

export interface VadStream {
  /** Feeds 16 kHz PCM16 audio of any length; returns the events it caused, in order. */
  push(samples: Int16Array): Promise<VadEvent[]>;
  /** Ends the stream: a turn still open is closed (as when the client commits the buffer). */
  flush(): VadEvent[];
  readonly speaking: boolean;
}

export interface VadCapabilities {
  sampleRates: readonly number[];
  /** Samples per model frame, and so the time resolution of events. */
  frameSamples: number;
  streaming: true;
}

export interface VadEngine {
  readonly name: string;
  readonly capabilities: VadCapabilities;
  /** A stream with its own model state; many may run at once. */
  createStream(options?: Partial<VadOptions>): Promise<VadStream>;
  /** Speech probability of each frame of a clip (tests, benchmarks). */
  probabilities(samples: Int16Array): Promise<number[]>;
  close(): Promise<void>;
}
