import { Pcm16Bytes } from '../audio.js';
import { AsyncQueue } from '../async-queue.js';
import { kill } from '../child-process.js';
import type { Clock } from '../clock.js';
import { ProcessSlots } from '../process-slots.js';
import { splitSentences } from '../sentence-splitter.js';
import { FestivalPool, type WarmFestival } from './festival-pool.js';
import { soxToPcm24, spawnPiped } from './pcm-stream.js';
import type { TtsEngine } from './types.js';
import { FESTIVAL_VOICES, LOCAL_VOICES } from './voices.js';

export { FESTIVAL_VOICE } from './festival-pool.js';

export interface FestivalOptions {
  /** Most warm festival processes (~330 MB each, the HTS voice loaded); started as sentences overlap. Default 2. */
  processes?: number;
  /** Longest a sentence may take before its process is killed. Default 20 s. */
  sentenceTimeoutMs?: number;
  /** Longest a sentence waits for a free process (all busy with other sessions' sentences): then it fails with `tts_busy`. Default 10 s. */
  queueTimeoutMs?: number;
  clock?: Clock;
}

export const DEFAULT_TTS_QUEUE_TIMEOUT_MS = 10_000;

/** A TTS engine that keeps processes warm: start them early, stop them at shutdown. */
export type WarmTtsEngine = TtsEngine & { warmUp(): void; close(): Promise<void> };

/**
 * festival's HTS voice (cmu_us_slt_arctic_hts, English) from a pool of warm `festival --pipe`
 * processes (festival-pool.ts): loading festival and the voice takes ~0.5 s, synthesising a
 * sentence ~40–150 ms, so the processes outlive the sentences. Each sentence goes through a FIFO
 * into sox, which resamples 32 kHz → 24 kHz PCM16 with the voice's effects.
 */
export function createFestivalTts(options: FestivalOptions = {}): WarmTtsEngine & { readonly slots: ProcessSlots } {
  const processes = Math.max(1, options.processes ?? 2);
  const pool = new FestivalPool(processes);
  const timeoutMs = options.sentenceTimeoutMs ?? 20_000;
  // One sentence per process: a sentence takes a slot first, so it never waits in the pool unbounded.
  const slots = new ProcessSlots({ max: processes, queueTimeoutMs: options.queueTimeoutMs ?? DEFAULT_TTS_QUEUE_TIMEOUT_MS, code: 'tts_busy', ...(options.clock ? { clock: options.clock } : {}) });
  return {
    name: 'festival',
    slots,
    capabilities: { languages: ['en'], sampleRate: 24_000, streaming: 'sentence', voices: FESTIVAL_VOICES },
    warmUp: () => pool.warmUp(),
    close: () => pool.close(),
    async *synthesize(text, { voice, language = 'en', signal }) {
      if (language !== 'en') throw new Error(`festival: language ${language} is not installed`);
      for (const [sentenceIndex, sentence] of splitSentences(text).entries()) {
        signal?.throwIfAborted();
        const release = await slots.acquire(signal);
        let job: Awaited<ReturnType<typeof startSentence>> | undefined;
        let festival: WarmFestival | undefined;
        try {
          festival = await pool.acquire(signal);
          job = await startSentence(pool, festival, sentence, LOCAL_VOICES[voice].festivalEffects ?? [], timeoutMs);
          for await (const pcm of job.pcm.read(signal)) yield { pcm, sentenceIndex, sentence };
        } finally {
          // Done, aborted (barge-in) or abandoned: the sentence still runs to its end (a few hundred
          // ms at most), so the process stays warm instead of being killed and reloaded (~0.5–1 s).
          const held = festival;
          if (held && job) {
            void job.done.then((healthy) => {
              pool.release(held, healthy);
              release();
            });
          } else {
            if (held) pool.release(held);
            release();
          }
        }
      }
    },
  };
}

/**
 * One sentence on one warm process: festival writes the WAV into a FIFO, sox reads it and writes
 * PCM16 24 kHz (even byte counts) into `pcm`. It runs to its end whether or not anyone reads;
 * `done` says whether the process is fit for the next sentence.
 */
async function startSentence(pool: FestivalPool, festival: WarmFestival, sentence: string, effects: string[], timeoutMs: number): Promise<{ pcm: AsyncQueue<Buffer>; done: Promise<boolean> }> {
  const pcm = new AsyncQueue<Buffer>();
  const fifo = await pool.newFifo().catch((err: unknown) => {
    pcm.end(err);
    return undefined;
  });
  if (!fifo) return { pcm, done: Promise.resolve(true) };
  const sox = spawnPiped('sox', soxToPcm24(fifo, effects));
  sox.stdin!.end();
  let trouble: string | undefined;
  // sox waits on the FIFO until festival writes it: a festival error, death or a stuck sentence frees it.
  const fail = (reason: string): void => {
    trouble ??= reason;
    kill(sox);
  };
  festival.synthesize(sentence, fifo, fail);
  const timer = setTimeout(() => fail('festival: sentence timed out'), timeoutMs);
  const errors: string[] = [];
  sox.stderr!.on('data', (c: Buffer) => errors.push(c.toString('utf8')));
  const samples = new Pcm16Bytes();
  sox.stdout!.on('data', (chunk: Buffer) => {
    const data = samples.push(chunk);
    if (data.length) pcm.push(data);
  });
  const done = new Promise<boolean>((resolve) => {
    const finish = (code: number | null): void => {
      clearTimeout(timer);
      pool.removeFifo(fifo);
      const ok = code === 0 && trouble === undefined;
      pcm.end(ok ? undefined : new Error(`speech synthesis failed: ${trouble ?? (errors.join(' ').trim().slice(0, 300) || `sox exited with ${code}`)}`));
      resolve(ok);
    };
    sox.once('close', finish);
    sox.once('error', () => finish(null));
  });
  return { pcm, done };
}
