import { kill } from '../child-process.js';
import { FestivalPool } from './festival-pool.js';
import { pcmFromProcesses, soxToPcm24, spawnPiped } from './pcm-stream.js';
import { splitSentences } from './sentences.js';
import type { TtsEngine } from './types.js';
import { FESTIVAL_VOICES, LOCAL_VOICES } from './voices.js';

export { FESTIVAL_VOICE } from './festival-pool.js';

export interface FestivalOptions {
  /** Most warm festival processes (~330 MB each, the HTS voice loaded); started as sentences overlap. Default 2. */
  processes?: number;
  /** Longest a sentence may take before its process is killed. Default 20 s. */
  sentenceTimeoutMs?: number;
}

/** A TTS engine that keeps processes warm: start them early, stop them at shutdown. */
export type WarmTtsEngine = TtsEngine & { warmUp(): void; close(): Promise<void> };

/**
 * festival's HTS voice (cmu_us_slt_arctic_hts, English) from a pool of warm `festival --pipe`
 * processes (festival-pool.ts): loading festival and the voice takes ~0.5 s, synthesising a
 * sentence ~40–150 ms, so the processes outlive the sentences. Each sentence goes through a FIFO
 * into sox, which resamples 32 kHz → 24 kHz PCM16 with the voice's effects.
 */
export function createFestivalTts(options: FestivalOptions = {}): WarmTtsEngine {
  const pool = new FestivalPool(Math.max(1, options.processes ?? 2));
  const timeoutMs = options.sentenceTimeoutMs ?? 20_000;
  return {
    name: 'festival',
    capabilities: { languages: ['en'], sampleRate: 24_000, streaming: 'sentence', voices: FESTIVAL_VOICES },
    warmUp: () => pool.warmUp(),
    close: () => pool.close(),
    async *synthesize(text, { voice, language = 'en', signal }) {
      if (language !== 'en') throw new Error(`festival: language ${language} is not installed`);
      for (const [sentenceIndex, sentence] of splitSentences(text).entries()) {
        signal?.throwIfAborted();
        const festival = await pool.acquire(signal);
        let healthy = false;
        let trouble: string | undefined;
        let fifo: string | undefined;
        let timer: NodeJS.Timeout | undefined;
        try {
          fifo = await pool.newFifo();
          const sox = spawnPiped('sox', soxToPcm24(fifo, LOCAL_VOICES[voice].festivalEffects ?? []));
          sox.stdin!.end();
          // sox waits on the FIFO until festival writes it: a festival error or death must free it.
          const fail = (reason: string): void => {
            trouble ??= reason;
            kill(sox);
          };
          festival.synthesize(sentence, fifo, fail);
          timer = setTimeout(() => fail('festival: sentence timed out'), timeoutMs);
          for await (const pcm of pcmFromProcesses([sox], signal)) yield { pcm, sentenceIndex, sentence };
          if (trouble) throw new Error(`speech synthesis failed: ${trouble}`);
          healthy = true;
        } catch (err) {
          if (trouble && !signal?.aborted) throw new Error(`speech synthesis failed: ${trouble}`);
          throw err;
        } finally {
          clearTimeout(timer);
          // Aborted, failed or abandoned mid-sentence: that process is killed (and replaced when needed).
          pool.release(festival, healthy);
          if (fifo) pool.removeFifo(fifo);
        }
      }
    },
  };
}
