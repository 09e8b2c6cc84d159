import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** An AbortSignal's reason as an Error (what `signal.throwIfAborted()` would throw). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/** SIGKILLs a child if it is still running; safe to call twice. */
export function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Runs a command to completion and returns stdout; rejects with stderr on a non-zero exit. */
export function run(command: string, args: string[], options: SpawnOptions & { input?: Buffer | string; signal?: AbortSignal } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { input, signal, ...spawnOptions } = options;
    if (signal?.aborted) return reject(abortError(signal));
    const child = spawn(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const onAbort = (): void => kill(child);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(abortError(signal));
      else if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().slice(0, 500)}`));
    });
    child.stdin!.on('error', () => undefined); // the child may exit before reading everything
    child.stdin!.end(input ?? '');
  });
}
