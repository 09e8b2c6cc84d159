import { availableParallelism } from 'node:os';
import { concatPcm16, STT_SAMPLE_RATE } from '../audio.js';
import { abortError } from '../child-process.js';
import { BusyError } from '../process-slots.js';
import { SPEECH_PATHS } from '../speech-capabilities.js';
import { PocketsphinxWorker, type WorkerMessage, type WorkerModel } from './pocketsphinx-worker.js';
import type { SttEngine, SttStream, SttStreamOptions, Transcript, TranscribeOptions } from './types.js';

export interface StreamingPocketsphinxOptions {
  /** Decoder processes kept warm (one Decoder each; the GIL makes one process one core of work). Default: CPU cores, at most 8. */
  decoders?: number | undefined;
  /** pocketsphinx's second (fwdflat) pass at the end of each utterance. Default false: see docs/voice.md. */
  fwdflat?: boolean | undefined;
  /** pocketsphinx's lattice rescoring at the end of each utterance. Default true (see docs/voice.md). */
  bestpath?: boolean | undefined;
  /** Budget for an utterance from `finish()` to its transcript, plus 1 ms per ms of its audio. Default 5000. */
  timeoutMs?: number;
  hmm?: string;
  lm?: string;
  dict?: string;
  /** The interpreter (tests point it at something that crashes). Default /usr/bin/python3. */
  python?: string;
  /**
   * Utterances waiting for a decoder (every one busy), across all sessions; one more fails at once
   * with `stt_busy`. Their audio waits in memory, and `finish()` still waits at most `timeoutMs`
   * + 1 ms per ms of audio. Default 32.
   */
  maxWaiting?: number;
  /** Longest wait for a `hypothesis()` answer, plus 1 ms per ms of audio (a late guess is no use to an early reply). Default 1000. */
  hypothesisTimeoutMs?: number;
}

export const DEFAULT_STT_MAX_WAITING = 32;

export const DEFAULT_FWDFLAT = false;
export const DEFAULT_BESTPATH = true;
const HYPOTHESIS_TIMEOUT_MS = 1000;

/** One utterance, from `openStream` to its transcript. */
interface Utterance {
  id: string;
  /** Audio not yet sent to a decoder (the utterance waits for a free one). */
  backlog: Int16Array[];
  samples: number;
  worker: PocketsphinxWorker | undefined;
  /** `finish()` was called at this time (performance.now()). */
  finishedAt: number | undefined;
  openedAt: number;
  settled: boolean;
  onPartial: ((text: string) => void) | undefined;
  /** Waiting for answers to `hypothesis()` (in order). */
  guesses: Array<(guess: { text: string; final: boolean } | null) => void>;
  resolve(t: Transcript): void;
  reject(err: Error): void;
  result: Promise<Transcript>;
  timer: NodeJS.Timeout | undefined;
  timedOut: boolean;
  detach(): void;
}

interface Slot {
  worker: PocketsphinxWorker | undefined;
  ready: boolean;
  /** Consecutive deaths before becoming ready (respawn backoff). */
  failures: number;
  respawn: NodeJS.Timeout | undefined;
}

/**
 * Streaming English STT with Debian's python3-pocketsphinx: a warm pool of long-lived
 * `/usr/bin/python3` workers (pocketsphinx-worker.ts), each decoding one utterance at a time while
 * it is spoken. An utterance opened while every decoder is busy keeps its audio here and catches
 * up at full speed when one frees (utterances whose speaker has finished go first). A worker that
 * dies fails only the utterance it was decoding and is replaced.
 */
export function createStreamingPocketsphinxStt(options: StreamingPocketsphinxOptions = {}): SttEngine & { readonly workerPids: number[] } {
  const model: WorkerModel = {
    hmm: options.hmm ?? SPEECH_PATHS.pocketsphinxModel,
    lm: options.lm ?? SPEECH_PATHS.pocketsphinxLm,
    dict: options.dict ?? SPEECH_PATHS.pocketsphinxDict,
    fwdflat: options.fwdflat ?? DEFAULT_FWDFLAT,
    bestpath: options.bestpath ?? DEFAULT_BESTPATH,
  };
  const timeoutMs = options.timeoutMs ?? 5000;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.decoders ?? Math.min(8, availableParallelism())) }, () => ({ worker: undefined, ready: false, failures: 0, respawn: undefined }));
  const waiting: Utterance[] = [];
  const byId = new Map<string, Utterance>();
  let counter = 0;
  let closed = false;

  function spawnSlot(slot: Slot): void {
    if (closed) return;
    slot.ready = false;
    const worker = new PocketsphinxWorker(model, { onMessage, onExit: (w, reason) => onExit(slot, w, reason) }, options.python ?? SPEECH_PATHS.python3);
    slot.worker = worker;
    worker.ready.then(
      () => {
        if (slot.worker !== worker) return;
        slot.ready = true;
        slot.failures = 0;
        dispatch();
      },
      () => undefined, // onExit handles it
    );
  }

  function ensureWorkers(): void {
    for (const slot of slots) if (!slot.worker && !slot.respawn) spawnSlot(slot);
  }

  function onExit(slot: Slot, worker: PocketsphinxWorker, reason: string): void {
    if (slot.worker !== worker) return;
    const wasReady = slot.ready;
    slot.worker = undefined;
    slot.ready = false;
    const failed = worker.current ? byId.get(worker.current) : undefined;
    if (failed) settle(failed, new Error(failed.timedOut ? `speech recognition timed out` : `speech recognizer ${reason}`));
    if (closed) return;
    // Replace it: at once after a crash mid-work, with a growing delay when it cannot even start.
    slot.failures = wasReady ? 0 : slot.failures + 1;
    const delay = slot.failures === 0 ? 0 : Math.min(30_000, 250 * 2 ** slot.failures);
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined;
      spawnSlot(slot);
    }, delay);
    slot.respawn.unref();
  }

  function onMessage(worker: PocketsphinxWorker, message: WorkerMessage): void {
    if (message.type === 'ready') return;
    const u = message.id ? byId.get(message.id) : undefined;
    if (message.type === 'partial') {
      if (u && !u.settled && u.finishedAt === undefined) u.onPartial?.(message.text);
      return;
    }
    if (message.type === 'hypothesis') {
      u?.guesses.shift()?.({ text: message.text, final: message.final === true });
      return;
    }
    // final or error: the worker is free again.
    if (worker.current === message.id) worker.current = undefined;
    if (u) settle(u, message.type === 'final' ? { text: message.text, latencyMs: performance.now() - (u.finishedAt ?? u.openedAt) } : new Error(`speech recognition failed: ${message.message}`));
    dispatch();
  }

  /** Resolves or rejects an utterance once, and forgets it. */
  function settle(u: Utterance, outcome: Transcript | Error): void {
    if (u.settled) return;
    u.settled = true;
    clearTimeout(u.timer);
    u.detach();
    byId.delete(u.id);
    for (const guess of u.guesses.splice(0)) guess(null);
    const at = waiting.indexOf(u);
    if (at >= 0) waiting.splice(at, 1);
    u.backlog = [];
    if (outcome instanceof Error) u.reject(outcome);
    else u.resolve(outcome);
  }

  /** Free, ready decoders take waiting utterances: finished ones first (someone waits), then the oldest. */
  function dispatch(): void {
    for (const slot of slots) {
      const worker = slot.worker;
      if (!worker || !slot.ready || worker.dead || worker.current) continue;
      const next = waiting.find((u) => u.finishedAt !== undefined) ?? waiting[0];
      if (!next) return;
      waiting.splice(waiting.indexOf(next), 1);
      attach(next, worker);
    }
  }

  function attach(u: Utterance, worker: PocketsphinxWorker): void {
    u.worker = worker;
    worker.start(u.id, u.onPartial !== undefined);
    if (u.backlog.length) worker.audio(concatPcm16(u.backlog)); // catch up at full speed
    u.backlog = [];
    if (u.finishedAt !== undefined) worker.end();
  }

  function cancel(u: Utterance, reason: Error): void {
    if (u.settled) return;
    if (u.worker?.current === u.id) u.worker.cancel();
    settle(u, reason);
    dispatch();
  }

  function openStream(opts: SttStreamOptions = {}): SttStream {
    if (closed) throw new Error('speech recognizer closed');
    if (opts.language && opts.language !== 'en') throw new Error(`pocketsphinx: language ${opts.language} is not installed`);
    ensureWorkers();
    const maxWaiting = options.maxWaiting ?? DEFAULT_STT_MAX_WAITING;
    if (waiting.length >= maxWaiting) throw new BusyError('stt_busy', `${waiting.length} utterances already wait for a speech recognizer`);
    let resolve!: (t: Transcript) => void;
    let reject!: (err: Error) => void;
    const result = new Promise<Transcript>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => undefined); // a stream cancelled before finish() was ever called
    const signal = opts.signal;
    const onAbort = (): void => cancel(u, abortError(signal!));
    const u: Utterance = {
      id: `u${++counter}`,
      backlog: [],
      samples: 0,
      worker: undefined,
      finishedAt: undefined,
      openedAt: performance.now(),
      settled: false,
      onPartial: opts.onPartial,
      guesses: [],
      resolve,
      reject,
      result,
      timer: undefined,
      timedOut: false,
      detach: () => signal?.removeEventListener('abort', onAbort),
    };
    byId.set(u.id, u);
    waiting.push(u);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    dispatch();

    return {
      write(pcm16k: Int16Array) {
        if (u.settled || u.finishedAt !== undefined || pcm16k.length === 0) return;
        u.samples += pcm16k.length;
        if (u.worker) u.worker.audio(pcm16k);
        else u.backlog.push(pcm16k.slice());
      },
      finish() {
        if (u.settled || u.finishedAt !== undefined) return u.result;
        u.finishedAt = performance.now();
        if (u.samples === 0) {
          if (u.worker?.current === u.id) u.worker.cancel();
          settle(u, { text: '', latencyMs: 0 });
          dispatch();
          return u.result;
        }
        u.timer = setTimeout(() => {
          u.timedOut = true;
          if (u.worker?.current === u.id) u.worker.kill(); // onExit fails it and replaces the worker
          else settle(u, new Error('speech recognition timed out waiting for a decoder'));
        }, timeoutMs + (u.samples / STT_SAMPLE_RATE) * 1000);
        if (u.worker) u.worker.end();
        else dispatch();
        return u.result;
      },
      cancel() {
        cancel(u, new DOMException('speech recognition cancelled', 'AbortError'));
      },
      hypothesis() {
        if (u.settled || u.finishedAt !== undefined || !u.worker || u.worker.current !== u.id) return Promise.resolve(null);
        const worker = u.worker;
        // The worker ends a forked copy of the utterance: exactly what finish() would give now.
        return new Promise<{ text: string; final: boolean } | null>((resolve) => {
          // An answer that never comes (a garbled line) must not leave the caller waiting. It comes
          // once the audio already written is decoded: allow for a backlog (as finish does).
          const timer = setTimeout(() => answer(null), (options.hypothesisTimeoutMs ?? HYPOTHESIS_TIMEOUT_MS) + (u.samples / STT_SAMPLE_RATE) * 1000);
          const answer = (guess: { text: string; final: boolean } | null): void => {
            clearTimeout(timer);
            const at = u.guesses.indexOf(answer);
            if (at >= 0) u.guesses.splice(at, 1);
            resolve(guess);
          };
          u.guesses.push(answer);
          worker.hypothesis();
        });
      },
    };
  }

  /** A finished utterance, through a stream: written at once, decoded at full speed. */
  async function transcribe(audio: Int16Array, opts: TranscribeOptions = {}): Promise<Transcript> {
    if (opts.language && opts.language !== 'en') throw new Error(`pocketsphinx: language ${opts.language} is not installed`);
    opts.signal?.throwIfAborted();
    if (audio.length === 0) return { text: '', latencyMs: 0 };
    const startedAt = performance.now();
    const stream = openStream(opts);
    stream.write(audio);
    const { text } = await stream.finish();
    return { text, latencyMs: performance.now() - startedAt };
  }

  return {
    name: 'pocketsphinx',
    capabilities: { languages: ['en'], sampleRates: [STT_SAMPLE_RATE], streaming: true, warm: true },
    openStream,
    transcribe,
    async warmUp() {
      ensureWorkers();
      await Promise.all(slots.map((s) => s.worker?.ready));
      // One short decode per worker: the first utterance of a process pays for page faults.
      const silence = new Int16Array(STT_SAMPLE_RATE * 0.3);
      await Promise.all(slots.map(() => transcribe(silence)));
    },
    async close() {
      closed = true;
      for (const u of [...byId.values()]) settle(u, new Error('speech recognizer closed'));
      for (const slot of slots) {
        clearTimeout(slot.respawn);
        slot.worker?.kill();
        slot.worker = undefined;
      }
    },
    get workerPids() {
      return slots.map((s) => s.worker?.pid).filter((p): p is number => p !== undefined);
    },
  };
}
