/**
 * Streaming pocketsphinx (python3-pocketsphinx workers): the STT contracts, then the pool's
 * protocol on real processes — a worker killed mid-utterance, a busy pool catching up, priority to
 * finished utterances, timeouts, a worker that cannot start.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory, type SpokenClip } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import { writeClip } from '../../../../tests/helpers/stt-stream.js';
import { describeSttContract, describeSttStreamContract, MAX_WER } from './contract.js';
import { createStreamingPocketsphinxStt } from './pocketsphinx-stream-stt.js';

/** Budgets for a loaded test machine (the defaults are the production ones): results are checked, not timings. */
const LOADED = { timeoutMs: 60_000, hypothesisTimeoutMs: 60_000 };

describeSttContract('pocketsphinx streaming', async () => createStreamingPocketsphinxStt({ decoders: 2, ...LOADED }));
// One decoder: every concurrent case of the contract goes through the busy-pool path.
describeSttStreamContract('pocketsphinx streaming, one decoder', async () => createStreamingPocketsphinxStt({ decoders: 1, ...LOADED }));

describe('pocketsphinx streaming workers', () => {
  let audio: SpeechAudioFactory;
  let clips: SpokenClip[];
  let fakes: string;
  const isRight = (clip: SpokenClip, text: string) => expect(wordErrorRate(clip.text, text), text).toBeLessThanOrEqual(MAX_WER);

  beforeAll(async () => {
    audio = await speechAudioFactory();
    fakes = await mkdtemp(join(tmpdir(), 'coachhub-stt-fakes-'));
    clips = await Promise.all(['Please send me the contract by email today.', 'How many people work in your company?', 'Thank you very much for your help.'].map((t) => audio.speak(t, 300)));
  }, 60_000);
  afterAll(async () => {
    await audio?.cleanup();
    await rm(fakes, { recursive: true, force: true });
  });

  /** An executable standing in for python3 (it gets `-c <program> <options>` and ignores them). */
  async function fakePython(name: string, script: string): Promise<string> {
    const path = join(fakes, name);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it('a worker killed mid-utterance fails only that utterance, and is replaced by a warm one', async () => {
    const stt = createStreamingPocketsphinxStt({ decoders: 2, ...LOADED });
    try {
      await stt.warmUp();
      const before = stt.workerPids;
      expect(before).toHaveLength(2);
      const victim = stt.openStream!();
      const survivor = stt.openStream!();
      victim.write(clips[0]!.samples.subarray(0, 16_000));
      survivor.write(clips[1]!.samples);
      // Each stream went to its own worker; kill the one decoding `victim` (the first dispatched).
      process.kill(before[0]!, 'SIGKILL');
      await expect(victim.finish()).rejects.toThrow(/killed by SIGKILL/);
      isRight(clips[1]!, (await survivor.finish()).text);
      await expect.poll(() => stt.workerPids.length, { timeout: 20_000 }).toBe(2);
      const after = stt.workerPids;
      expect(after).not.toContain(before[0]);
      expect(after).toContain(before[1]);
      // The replacement decodes (both workers busy at once, so each takes one).
      const results = await Promise.all(clips.slice(0, 2).map((c) => stt.transcribe(c.samples)));
      results.forEach((r, i) => isRight(clips[i]!, r.text));
    } finally {
      await stt.close();
    }
  }, 60_000);

  it('busy pool: a stream opened while the decoder is taken buffers its audio and is decoded once the decoder frees', async () => {
    const stt = createStreamingPocketsphinxStt({ decoders: 1, ...LOADED });
    try {
      await stt.warmUp();
      const first = stt.openStream!();
      const second = stt.openStream!();
      // Both users speak at once, at real-time pace; only one decoder.
      await Promise.all([writeClip(first, clips[0]!.samples, true), writeClip(second, clips[1]!.samples, true)]);
      const firstResult = await first.finish();
      const secondResult = await second.finish();
      isRight(clips[0]!, firstResult.text);
      isRight(clips[1]!, secondResult.text);
      const secondAudioMs = (clips[1]!.samples.length / 16_000) * 1000;
      // How fast the waiting one catches up is measured by `npm run bench:voice`, not asserted here.
      console.info(`[stt streaming] busy pool: first finished in ${firstResult.latencyMs.toFixed(0)} ms, the waiting one caught up ${secondAudioMs.toFixed(0)} ms of audio in ${secondResult.latencyMs.toFixed(0)} ms`);
    } finally {
      await stt.close();
    }
  }, 60_000);

  it('a freed decoder takes a finished utterance before one still being spoken', async () => {
    const stt = createStreamingPocketsphinxStt({ decoders: 1, ...LOADED });
    try {
      await stt.warmUp();
      const holding = stt.openStream!(); // takes the only decoder
      holding.write(clips[0]!.samples);
      const speaking = stt.openStream!(); // waits, not finished
      speaking.write(clips[1]!.samples.subarray(0, 8000));
      const done = stt.openStream!(); // waits, finished: someone is waiting for it
      done.write(clips[2]!.samples);
      const doneResult = done.finish();
      isRight(clips[0]!, (await holding.finish()).text);
      isRight(clips[2]!, (await doneResult).text); // before `speaking` is finished
      speaking.write(clips[1]!.samples.subarray(8000));
      isRight(clips[1]!, (await speaking.finish()).text);
    } finally {
      await stt.close();
    }
  }, 60_000);

  it('hypothesis() is exactly what finish() gives for the same audio (a forked decoder ends the utterance)', async () => {
    const stt = createStreamingPocketsphinxStt({ decoders: 1, ...LOADED });
    try {
      await stt.warmUp();
      for (const clip of clips) {
        const stream = stt.openStream!();
        await writeClip(stream, clip.samples, false);
        const guess = await stream.hypothesis!();
        expect(guess).toEqual({ text: (await stream.finish()).text, final: true });
      }
      // No guess for a stream that waits for a decoder.
      const holding = stt.openStream!();
      holding.write(clips[0]!.samples);
      const waiting = stt.openStream!();
      waiting.write(clips[1]!.samples);
      expect(await waiting.hypothesis!()).toBeNull();
      holding.cancel();
      waiting.cancel();
    } finally {
      await stt.close();
    }
  }, 60_000);

  it('times out an utterance whose worker does not answer (and replaces it), or that waits too long for a decoder', async () => {
    const mute = await fakePython('mute-python', `echo '{"type":"ready"}'; exec cat >/dev/null`);
    const stt = createStreamingPocketsphinxStt({ decoders: 1, timeoutMs: 200, python: mute });
    try {
      await stt.warmUp().catch(() => undefined); // the fake never decodes the warm-up either
      await expect.poll(() => stt.workerPids.length, { timeout: 10_000 }).toBe(1);
      const pid = stt.workerPids[0];
      const stuck = stt.openStream!();
      stuck.write(new Int16Array(1600));
      await expect(stuck.finish()).rejects.toThrow(/timed out/);
      await expect.poll(() => stt.workerPids[0] ?? pid, { timeout: 10_000 }).not.toBe(pid);
      await new Promise((r) => setTimeout(r, 300)); // the replacement says ready at once


      const holding = stt.openStream!();
      holding.write(new Int16Array(1600));
      const queued = stt.openStream!();
      queued.write(new Int16Array(1600));
      await expect(queued.finish()).rejects.toThrow(/waiting for a decoder/);
      holding.cancel();
    } finally {
      await stt.close();
    }
  }, 30_000);

  it('a worker that cannot start fails warm-up with its error (the engine falls back), without a respawn storm', async () => {
    const broken = await fakePython('broken-python', `echo "ModuleNotFoundError: No module named 'pocketsphinx'" >&2; exit 1`);
    const stt = createStreamingPocketsphinxStt({ decoders: 1, python: broken });
    try {
      await expect(stt.warmUp()).rejects.toThrow(/exited with 1: ModuleNotFoundError/);
      const missing = createStreamingPocketsphinxStt({ decoders: 1, python: join(fakes, 'no-such-python') });
      await expect(missing.warmUp()).rejects.toThrow(/could not start/);
      await missing.close();
    } finally {
      await stt.close();
    }
  });

  it('at most maxWaiting utterances wait for a decoder (all sessions together): one more fails at once with stt_busy', async () => {
    const stt = createStreamingPocketsphinxStt({ decoders: 1, maxWaiting: 1 });
    try {
      await stt.warmUp();
      const decoding = stt.openStream!();
      const waiting = stt.openStream!();
      expect(() => stt.openStream!()).toThrow(expect.objectContaining({ name: 'BusyError', code: 'stt_busy' }));
      decoding.cancel();
      // The waiting one got the decoder: the queue has room again.
      const next = stt.openStream!();
      waiting.write(clips[2]!.samples);
      isRight(clips[2]!, (await waiting.finish()).text);
      next.cancel();
    } finally {
      await stt.close();
    }
  }, 60_000);
});
