import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pcm16ToBuffer, STT_SAMPLE_RATE } from '../audio.js';
import { abortError, kill, run } from '../child-process.js';
import type { Clock } from '../clock.js';
import { ProcessSlots } from '../process-slots.js';
import { SPEECH_PATHS } from '../speech-capabilities.js';
import type { SttEngine, Transcript, TranscribeOptions } from './types.js';

export interface PocketsphinxOptions {
  /** Decoder processes kept warm; utterances are spread over them (default 1). */
  poolSize?: number;
  hmm?: string;
  lm?: string;
  dict?: string;
  /** Longest time one utterance may take to decode before the process is restarted. */
  timeoutMs?: number;
  /** Longest an utterance waits for a free decoder (all busy with other sessions): then it fails with `stt_busy`. Default 10 s. */
  queueTimeoutMs?: number;
  clock?: Clock;
}

type DecoderOptions = Required<Pick<PocketsphinxOptions, 'hmm' | 'lm' | 'dict' | 'timeoutMs'>>;

interface Job {
  id: string;
  timer?: NodeJS.Timeout;
  resolve(text: string): void;
  reject(err: Error): void;
}

/**
 * One warm `pocketsphinx_batch` process (Debian 12 ships pocketsphinx 0.8+5prealpha, whose CLIs
 * are pocketsphinx_continuous and pocketsphinx_batch). The control file is a FIFO we keep open:
 * each utterance is written to a raw file in a private folder and its id to the FIFO; batch
 * decodes it with the already-loaded models and logs `<words> (<id> <score>)` on stderr, which
 * is unbuffered (the -hyp file would be block-buffered).
 */
class WarmDecoder {
  private child: ChildProcess | undefined;
  private fifoFd: number | undefined;
  private current: Job | undefined;
  private queue: Array<{ job: Job; audio: Int16Array }> = [];
  private counter = 0;
  private ready: Promise<void> | undefined;

  constructor(private readonly dir: string, private readonly index: number, private readonly options: DecoderOptions) {}

  get load(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  start(): Promise<void> {
    return (this.ready ??= this.spawn());
  }

  private async spawn(): Promise<void> {
    const fifo = join(this.dir, `ctl-${this.index}-${Date.now()}.fifo`);
    await run('mkfifo', [fifo]);
    // O_RDWR: opening a FIFO this way never blocks, and keeps it open so batch never sees EOF.
    this.fifoFd = openSync(fifo, constants.O_RDWR);
    const { hmm, lm, dict } = this.options;
    const child = spawn(
      'pocketsphinx_batch',
      ['-adcin', 'yes', '-cepdir', this.dir, '-cepext', '.raw', '-ctl', fifo, '-hyp', '/dev/null', '-hmm', hmm, '-lm', lm, '-dict', dict, '-samprate', String(STT_SAMPLE_RATE)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => this.onLine(line));
    child.on('exit', () => this.onExit(child));
    child.on('error', () => this.onExit(child));
  }

  private onLine(line: string): void {
    const job = this.current;
    if (!job) return;
    // "<hypothesis> (<id> <score>)" — the hypothesis may be empty.
    const hyp = /^(.*?)\s*\((\S+) (-?\d+)\)$/.exec(line);
    if (hyp && hyp[2] === job.id) return this.finish(job, hyp[1]!.trim());
    if (line.startsWith(`${job.id} done`)) return this.finish(job, '');
  }

  private finish(job: Job, text: string): void {
    if (this.current !== job) return;
    this.current = undefined;
    clearTimeout(job.timer);
    void unlink(join(this.dir, `${job.id}.raw`)).catch(() => undefined);
    job.resolve(text);
    this.next();
  }

  private onExit(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.ready = undefined;
    if (this.fifoFd !== undefined) closeSync(this.fifoFd);
    this.fifoFd = undefined;
    const failed = this.current;
    this.current = undefined;
    clearTimeout(failed?.timer);
    failed?.reject(new Error('pocketsphinx exited while decoding'));
    // Queued work is decoded by a fresh process.
    if (this.queue.length) this.next();
  }

  transcribe(audio: Int16Array): { promise: Promise<string>; cancel(): void } {
    const id = `u${this.index}-${++this.counter}`;
    let job!: Job;
    const promise = new Promise<string>((resolve, reject) => (job = { id, resolve, reject }));
    const entry = { job, audio };
    this.queue.push(entry);
    this.next();
    return {
      promise,
      cancel: () => {
        // Queued: drop it. Decoding: let it finish (results are matched by id) and ignore it.
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
      },
    };
  }

  private next(): void {
    if (this.current || this.queue.length === 0) return;
    const entry = this.queue.shift()!;
    this.current = entry.job;
    void (async () => {
      try {
        await this.start();
        await writeFile(join(this.dir, `${entry.job.id}.raw`), pcm16ToBuffer(entry.audio));
        writeSync(this.fifoFd!, `${entry.job.id}\n`);
        // A stuck decoder is killed; onExit fails this utterance and respawns for the next ones.
        entry.job.timer = setTimeout(() => this.restart(), this.options.timeoutMs);
      } catch (err) {
        if (this.current === entry.job) this.current = undefined;
        entry.job.reject(err instanceof Error ? err : new Error(String(err)));
        this.next();
      }
    })();
  }

  restart(): void {
    if (this.child) kill(this.child);
  }

  close(): void {
    this.queue.splice(0).forEach(({ job }) => job.reject(new Error('speech recognizer closed')));
    if (this.child) kill(this.child);
  }
}

/**
 * English STT with Debian's pocketsphinx, kept warm: a pool of long-lived decoders (models loaded
 * once), each fed utterances through its control FIFO. Utterances go to the least-busy decoder.
 */
export async function createPocketsphinxStt(options: PocketsphinxOptions = {}): Promise<SttEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'coachhub-stt-'));
  const resolved: DecoderOptions = {
    hmm: options.hmm ?? SPEECH_PATHS.pocketsphinxModel,
    lm: options.lm ?? SPEECH_PATHS.pocketsphinxLm,
    dict: options.dict ?? SPEECH_PATHS.pocketsphinxDict,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const size = Math.max(1, options.poolSize ?? 1);
  const pool = Array.from({ length: size }, (_, i) => new WarmDecoder(dir, i, resolved));
  // One utterance per decoder at a time, across all sessions: the others wait here, with a timeout.
  const slots = new ProcessSlots({ max: size, queueTimeoutMs: options.queueTimeoutMs ?? 10_000, code: 'stt_busy', ...(options.clock ? { clock: options.clock } : {}) });
  // 0.3 s of silence: decoding it proves the models are loaded.
  const silence = new Int16Array(STT_SAMPLE_RATE * 0.3);

  return {
    name: 'pocketsphinx',
    capabilities: { languages: ['en'], sampleRates: [STT_SAMPLE_RATE], streaming: false, warm: true },
    async warmUp() {
      await Promise.all(pool.map((d) => d.transcribe(silence).promise));
    },
    async transcribe(audio: Int16Array, opts: TranscribeOptions = {}): Promise<Transcript> {
      const startedAtMs = performance.now();
      if (opts.language && opts.language !== 'en') throw new Error(`pocketsphinx: language ${opts.language} is not installed`);
      opts.signal?.throwIfAborted();
      if (audio.length === 0) return { text: '', latencyMs: 0 };
      const signal = opts.signal;
      const text = await slots.run(() => {
        const decoder = pool.reduce((a, b) => (b.load < a.load ? b : a));
        const { promise, cancel } = decoder.transcribe(audio);
        if (!signal) return promise;
        return new Promise<string>((resolve, reject) => {
          const onAbort = (): void => {
            cancel();
            reject(abortError(signal));
          };
          signal.addEventListener('abort', onAbort, { once: true });
          promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
      }, signal);
      return { text, latencyMs: performance.now() - startedAtMs };
    },
    async close() {
      pool.forEach((d) => d.close());
      await rm(dir, { recursive: true, force: true });
    },
  };
}
