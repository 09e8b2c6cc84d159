import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import { ManualClock } from '../../../../tests/helpers/manual-clock.js';
import { run } from '../child-process.js';
import { describeSttContract, MAX_WER } from './contract.js';
import { createPocketsphinxStt } from './pocketsphinx-stt.js';

describeSttContract('pocketsphinx', () => createPocketsphinxStt());

/** Process ids of this process's pocketsphinx_batch children. */
async function decoderPids(): Promise<number[]> {
  const out = await run('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]);
  return out
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes('pocketsphinx_ba'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('pocketsphinx warm process', () => {
  let audio: SpeechAudioFactory;
  beforeAll(async () => {
    audio = await speechAudioFactory();
  });
  afterAll(() => audio.cleanup());

  it('fails an utterance whose decoder dies (here: over its time budget) instead of hanging', async () => {
    const stt = await createPocketsphinxStt({ timeoutMs: 1 });
    try {
      await expect(stt.transcribe(new Int16Array(16_000))).rejects.toThrow(/exited/);
    } finally {
      await stt.close();
    }
  });

  it('replaces a decoder that died between utterances, and keeps one process across utterances', async () => {
    const before = new Set(await decoderPids());
    const stt = await createPocketsphinxStt();
    try {
      const clip = await audio.speak('Please send me the contract by email today.', 300);
      await stt.warmUp();
      const [first] = (await decoderPids()).filter((pid) => !before.has(pid));
      expect(first).toBeDefined();
      await stt.transcribe(clip.samples);
      expect((await decoderPids()).filter((pid) => !before.has(pid))).toEqual([first]); // still warm: same process

      process.kill(first!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { text } = await stt.transcribe(clip.samples);
      expect(wordErrorRate(clip.text, text)).toBeLessThanOrEqual(MAX_WER);
      const now = (await decoderPids()).filter((pid) => !before.has(pid));
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(first);
    } finally {
      await stt.close();
    }
  });

  it('one utterance per decoder across sessions: the next waits, and fails with stt_busy after queueTimeoutMs', async () => {
    const clock = new ManualClock();
    const stt = await createPocketsphinxStt({ poolSize: 1, queueTimeoutMs: 10_000, clock });
    try {
      const clip = await audio.speak('Please send me the contract by email today, and call me tomorrow morning.', 3_000);
      const first = stt.transcribe(clip.samples);
      const second = stt.transcribe(clip.samples);
      second.catch(() => undefined);
      await clock.advance(10_000);
      await expect(second).rejects.toMatchObject({ name: 'BusyError', code: 'stt_busy' });
      expect(wordErrorRate(clip.text, (await first).text)).toBeLessThanOrEqual(MAX_WER);
      // The decoder is free again.
      expect(wordErrorRate(clip.text, (await stt.transcribe(clip.samples)).text)).toBeLessThanOrEqual(MAX_WER);
    } finally {
      await stt.close();
    }
  }, 60_000);
});
