/**
 * The contract every STT adapter passes: festival speaks known sentences, the adapter must
 * transcribe them with a word error rate ≤ 40 %, stay warm, keep concurrent utterances apart and
 * honour cancellation. Runs serially (one file, sequential tests): decoders are CPU-bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory, type SpokenClip } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import type { SttEngine } from './types.js';

export const MAX_WER = 0.4;

export const STT_TEST_SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'I would like to book a session for next week.',
  'Can you tell me more about the price of this product?',
];

export function describeSttContract(name: string, create: () => Promise<SttEngine>): void {
  describe(`STT contract: ${name}`, () => {
    let engine: SttEngine;
    let audio: SpeechAudioFactory;
    let clips: SpokenClip[];

    beforeAll(async () => {
      audio = await speechAudioFactory();
      [engine, clips] = await Promise.all([create(), Promise.all(STT_TEST_SENTENCES.map((s) => audio.speak(s, 300)))]);
      await engine.warmUp();
    }, 60_000);
    afterAll(async () => {
      await engine?.close();
      await audio?.cleanup();
    });

    it('declares English at 16 kHz', () => {
      expect(engine.capabilities.languages).toContain('en');
      expect(engine.capabilities.sampleRates).toContain(16_000);
    });

    it(`transcribes spoken English with WER ≤ ${MAX_WER * 100} %, warm`, async () => {
      const latencies: number[] = [];
      for (const clip of clips) {
        const { text, latencyMs } = await engine.transcribe(clip.samples, { language: 'en' });
        const wer = wordErrorRate(clip.text, text);
        latencies.push(latencyMs);
        expect(wer, `"${clip.text}" → "${text}"`).toBeLessThanOrEqual(MAX_WER);
      }
      console.info(`[stt ${name}] warm latency per utterance (ms): ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
    });

    it('keeps concurrent utterances apart', async () => {
      const results = await Promise.all(clips.slice(0, 2).map((c) => engine.transcribe(c.samples)));
      results.forEach((r, i) => expect(wordErrorRate(clips[i]!.text, r.text)).toBeLessThanOrEqual(MAX_WER));
    });

    it('returns nothing for silence and empty audio', async () => {
      expect((await engine.transcribe(new Int16Array(0))).text).toBe('');
      expect((await engine.transcribe(await audio.quiet(1000))).text).toBe('');
    });

    it('rejects when the signal aborts, then keeps working', async () => {
      const aborted = new AbortController();
      aborted.abort();
      await expect(engine.transcribe(clips[0]!.samples, { signal: aborted.signal })).rejects.toThrow(/abort/i);
      const late = new AbortController();
      const pending = engine.transcribe(clips[1]!.samples, { signal: late.signal });
      late.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      const after = await engine.transcribe(clips[2]!.samples);
      expect(wordErrorRate(clips[2]!.text, after.text)).toBeLessThanOrEqual(MAX_WER);
    });

    it('refuses a language it does not have', async () => {
      const missing = (['en', 'fr'] as const).find((l) => !engine.capabilities.languages.includes(l));
      if (!missing) return;
      await expect(engine.transcribe(clips[0]!.samples, { language: missing })).rejects.toThrow(/language/);
    });
  });
}
