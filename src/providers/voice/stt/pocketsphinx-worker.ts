import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pcm16ToBuffer } from '../audio.js';
import { kill } from '../child-process.js';
import { SPEECH_PATHS } from '../speech-capabilities.js';
import { POCKETSPHINX_WORKER_PROGRAM } from './pocketsphinx-worker-program.js';

export interface WorkerModel {
  hmm: string;
  lm: string;
  dict: string;
  /** pocketsphinx's second search pass at the end of the utterance (slower end, see docs/voice.md). */
  fwdflat: boolean;
  /** pocketsphinx's lattice rescoring at the end of the utterance. */
  bestpath: boolean;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'partial'; id: string; text: string }
  | { type: 'hypothesis'; id: string; text: string; final: boolean }
  | { type: 'final'; id: string; text: string; decodeMs: number; audioMs: number }
  | { type: 'error'; id: string | null; message: string };

/** One frame of the Node → Python protocol (see pocketsphinx-worker-program.ts). */
export function frame(kind: 'S' | 'A' | 'H' | 'E' | 'C', payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(kind, 0, 'ascii');
  header.writeUInt32LE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Longest audio frame sent at once (1 s): a catching-up backlog goes in pieces the decoder can interleave. */
const MAX_AUDIO_FRAME_SAMPLES = 16_000;

/**
 * One long-lived `/usr/bin/python3` process holding one pocketsphinx Decoder (models loaded once),
 * decoding one utterance at a time. It knows nothing about scheduling: the pool decides which
 * utterance it decodes, and hears about its messages and its death through the callbacks.
 */
export class PocketsphinxWorker {
  private child: ChildProcess | undefined;
  readonly ready: Promise<void>;
  /** The process exited (crashed, killed, or never started). */
  dead = false;
  /** Utterance id being decoded, if any. */
  current: string | undefined;

  constructor(
    model: WorkerModel,
    private readonly handlers: { onMessage(worker: PocketsphinxWorker, message: WorkerMessage): void; onExit(worker: PocketsphinxWorker, reason: string): void },
    python = SPEECH_PATHS.python3,
  ) {
    const child = spawn(python, ['-c', POCKETSPHINX_WORKER_PROGRAM, JSON.stringify(model)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-2000)));
    child.stdin!.on('error', () => undefined); // EPIPE when the process died: reported by 'exit'
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: WorkerMessage;
      try {
        message = JSON.parse(line) as WorkerMessage;
      } catch {
        return; // not ours (a library printing to stdout): ignore
      }
      if (message.type === 'ready') markReady();
      else this.handlers.onMessage(this, message);
    });
    const exited = (reason: string): void => {
      if (this.dead) return;
      this.dead = true;
      this.child = undefined;
      const detail = stderr.trim().split('\n').at(-1);
      const why = detail ? `${reason}: ${detail}` : reason;
      failReady(new Error(`pocketsphinx worker ${why}`));
      this.handlers.onExit(this, why);
    };
    child.on('exit', (code, signal) => exited(signal ? `killed by ${signal}` : `exited with ${code}`));
    child.on('error', (err) => exited(`could not start (${err.message})`));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(id: string, partials: boolean): void {
    this.current = id;
    this.write(frame('S', Buffer.from(JSON.stringify({ id, partials }))));
  }

  audio(samples: Int16Array): void {
    for (let at = 0; at < samples.length; at += MAX_AUDIO_FRAME_SAMPLES) {
      this.write(frame('A', pcm16ToBuffer(samples.subarray(at, at + MAX_AUDIO_FRAME_SAMPLES))));
    }
  }

  /** Asks for the best guess so far: answered after the audio already sent is decoded. */
  hypothesis(): void {
    this.write(frame('H'));
  }

  end(): void {
    this.write(frame('E'));
  }

  /** Drops the current utterance; the worker is free at once (frames are handled in order). */
  cancel(): void {
    this.write(frame('C'));
    this.current = undefined;
  }

  kill(): void {
    if (this.child) kill(this.child);
  }

  private write(bytes: Buffer): void {
    if (this.child && !this.dead) this.child.stdin!.write(bytes);
  }
}
