import { spawn, type ChildProcess } from 'node:child_process';
import { Pcm16Bytes, TTS_SAMPLE_RATE } from '../audio.js';
import { abortError, kill } from '../child-process.js';

/**
 * sox arguments converting any WAV on stdin (or a file) to PCM16 24 kHz mono on stdout. `-D`: no
 * dither, so the same text and voice always give the same samples (dither adds random noise).
 */
export function soxToPcm24(input: string, effects: string[] = []): string[] {
  return ['-q', '-D', '-t', 'wav', input, '-t', 'raw', '-r', String(TTS_SAMPLE_RATE), '-e', 'signed-integer', '-b', '16', '-c', '1', '-', ...effects];
}

/**
 * Yields sox's stdout as it arrives (even byte counts), for a pipeline of child processes whose
 * last one is sox. Aborting (or the consumer stopping early) SIGKILLs every process.
 */
export async function* pcmFromProcesses(processes: ChildProcess[], signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const sox = processes[processes.length - 1]!;
  const killAll = (): void => processes.forEach(kill);
  const errors: string[] = [];
  for (const p of processes) p.stderr?.on('data', (c: Buffer) => errors.push(c.toString('utf8')));
  const exited = Promise.all(processes.map((p) => new Promise<number | null>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve(p.exitCode);
    else p.once('close', (code) => resolve(code));
  })));
  const spawnError = new Promise<never>((_, reject) => processes.forEach((p) => p.once('error', reject)));
  spawnError.catch(() => undefined);
  signal?.addEventListener('abort', killAll, { once: true });
  const samples = new Pcm16Bytes();
  try {
    for await (const chunk of sox.stdout! as AsyncIterable<Buffer>) {
      if (signal?.aborted) break;
      const data = samples.push(chunk);
      if (data.length) yield data;
    }
    if (signal?.aborted) throw abortError(signal);
    const codes = await Promise.race([exited, spawnError]);
    if (signal?.aborted) throw abortError(signal);
    if (codes.some((c) => c !== 0)) throw new Error(`speech synthesis failed: ${errors.join(' ').trim().slice(0, 300) || `exit codes ${codes.join(',')}`}`);
  } finally {
    signal?.removeEventListener('abort', killAll);
    killAll();
  }
}

export function spawnPiped(command: string, args: string[]): ChildProcess {
  return spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}
