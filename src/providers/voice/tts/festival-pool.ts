import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kill, run } from '../child-process.js';

export const FESTIVAL_VOICE = 'voice_cmu_us_slt_arctic_hts';

/** Text as a Scheme string literal for festival (quotes and backslashes escaped, no control characters). */
export function schemeString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One warm `festival --pipe` process with the HTS voice loaded (~0.5 s and ~330 MB, paid once):
 * each job is a Scheme command that synthesises a sentence into a FIFO that sox reads, so the
 * end of the WAV (festival closes the FIFO) is the end of the job. Errors ("SIOD ERROR" on
 * stderr) and death fail the current job.
 */
export class WarmFestival {
  private child: ChildProcess | undefined;
  dead = false;
  private onTrouble: ((reason: string) => void) | undefined;

  constructor() {
    const child = spawn('festival', ['--pipe'], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child = child;
    child.stdin!.on('error', () => undefined);
    child.stderr!.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      if (/error/i.test(text)) this.onTrouble?.(`festival: ${text.trim().slice(0, 200)}`);
    });
    const exited = (why: string): void => {
      if (this.dead) return;
      this.dead = true;
      this.child = undefined;
      this.onTrouble?.(`festival ${why}`);
    };
    child.on('exit', (code, signal) => exited(signal ? `killed by ${signal}` : `exited with ${code}`));
    child.on('error', (err) => exited(`could not start (${err.message})`));
    // Commands queue on stdin: the first job simply waits for the voice to load. One throwaway
    // synthesis pages in what the first real sentence needs (its first chunk comes ~2× sooner).
    child.stdin!.write(`(${FESTIVAL_VOICE})\n(utt.synth (Utterance Text "Hello there."))\n`);
  }

  /**
   * Synthesises `sentence` into the FIFO `fifo` (already created; sox must be reading it).
   * `onTrouble` is called if festival reports an error or dies before the job is over.
   */
  synthesize(sentence: string, fifo: string, onTrouble: (reason: string) => void): void {
    this.onTrouble = onTrouble;
    this.child?.stdin!.write(`(utt.save.wave (utt.synth (Utterance Text ${schemeString(sentence)})) ${schemeString(fifo)} 'riff)\n`);
  }

  done(): void {
    this.onTrouble = undefined;
  }

  kill(): void {
    if (this.child) kill(this.child);
  }
}

/**
 * Up to `size` warm festival processes, started on first use and kept. A sentence takes an idle
 * one (or waits for one, in order); a process whose sentence failed is killed and replaced (at
 * once when it was the last one).
 */
export class FestivalPool {
  private readonly all = new Set<WarmFestival>();
  private readonly idle: WarmFestival[] = [];
  private readonly waiters: Array<(f: WarmFestival) => void> = [];
  private dir: Promise<string> | undefined;
  private counter = 0;
  private closed = false;

  constructor(private readonly size: number) {}

  /** A private folder for the FIFOs. */
  fifoDir(): Promise<string> {
    return (this.dir ??= mkdtemp(join(tmpdir(), 'coachhub-festival-')));
  }

  async newFifo(): Promise<string> {
    const path = join(await this.fifoDir(), `s${++this.counter}.wav`);
    await run('mkfifo', [path]);
    return path;
  }

  removeFifo(path: string): void {
    void unlink(path).catch(() => undefined);
  }

  /** Starts one process now rather than on the first sentence (more start when sentences overlap). */
  warmUp(): void {
    if (!this.closed && this.all.size === 0) this.release(this.spawn());
  }

  acquire(signal?: AbortSignal): Promise<WarmFestival> {
    if (this.closed) return Promise.reject(new Error('festival pool closed'));
    let ready: WarmFestival | undefined;
    while ((ready = this.idle.pop()) && ready.dead) this.all.delete(ready); // died while idle
    if (ready) return Promise.resolve(ready);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => {
      const waiter = (f: WarmFestival): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(f);
      };
      const onAbort = (): void => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason instanceof Error ? signal!.reason : new DOMException('This operation was aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Back to the pool after a clean job; a dead or failed one is dropped (and killed). */
  release(f: WarmFestival, healthy = true): void {
    f.done();
    if (!healthy || f.dead || this.closed) {
      f.kill();
      this.all.delete(f);
      if (this.closed) return;
      // Someone waiting gets a fresh process instead; with nobody waiting, one is kept warm.
      if (this.waiters.length) this.waiters.shift()!(this.spawn());
      else if (this.all.size === 0) this.release(this.spawn());
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(f);
    else this.idle.push(f);
  }

  private spawn(): WarmFestival {
    const f = new WarmFestival();
    this.all.add(f);
    return f;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const f of this.all) f.kill();
    this.all.clear();
    this.idle.length = 0;
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }
}
