/**
 * The contract every STT adapter passes: festival speaks known sentences, the adapter must
 * transcribe them with a word error rate ≤ 40 %, stay warm, keep concurrent utterances apart and
 * honour cancellation; streaming adapters also pass `describeSttStreamContract`. Runs serially
 * (one file, sequential tests): decoders are CPU-bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory, type SpokenClip } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import { writeClip } from '../../../../tests/helpers/stt-stream.js';
import type { SttEngine } from './types.js';

export const MAX_WER = 0.4;

export const STT_TEST_SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'I would like to book a session for next week.',
  'Can you tell me more about the price of this product?',
];

/** An engine (created and warmed up once per describe block) and festival's clips of the test sentences. */
function sttFixture(create: () => Promise<SttEngine>): { engine: SttEngine; audio: SpeechAudioFactory; clips: SpokenClip[] } {
  const f = {} as { engine: SttEngine; audio: SpeechAudioFactory; clips: SpokenClip[] };
  beforeAll(async () => {
    f.audio = await speechAudioFactory();
    [f.engine, f.clips] = await Promise.all([create(), Promise.all(STT_TEST_SENTENCES.map((s) => f.audio.speak(s, 300)))]);
    await f.engine.warmUp();
  }, 60_000);
  afterAll(async () => {
    await f.engine?.close();
    await f.audio?.cleanup();
  });
  return f;
}

export function describeSttContract(name: string, create: () => Promise<SttEngine>): void {
  describe(`STT contract: ${name}`, () => {
    const f = sttFixture(create);

    it('declares English at 16 kHz', () => {
      expect(f.engine.capabilities.languages).toContain('en');
      expect(f.engine.capabilities.sampleRates).toContain(16_000);
    });

    it(`transcribes spoken English with WER ≤ ${MAX_WER * 100} %, warm`, async () => {
      const latencies: number[] = [];
      for (const clip of f.clips) {
        const { text, latencyMs } = await f.engine.transcribe(clip.samples, { language: 'en' });
        const wer = wordErrorRate(clip.text, text);
        latencies.push(latencyMs);
        expect(wer, `"${clip.text}" → "${text}"`).toBeLessThanOrEqual(MAX_WER);
      }
      console.info(`[stt ${name}] warm latency per utterance (ms): ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
    });

    it('keeps concurrent utterances apart', async () => {
      const results = await Promise.all(f.clips.slice(0, 2).map((c) => f.engine.transcribe(c.samples)));
      results.forEach((r, i) => expect(wordErrorRate(f.clips[i]!.text, r.text)).toBeLessThanOrEqual(MAX_WER));
    });

    it('returns nothing for silence and empty audio', async () => {
      expect((await f.engine.transcribe(new Int16Array(0))).text).toBe('');
      expect((await f.engine.transcribe(await f.audio.quiet(1000))).text).toBe('');
    });

    it('rejects when the signal aborts, then keeps working', async () => {
      const aborted = new AbortController();
      aborted.abort();
      await expect(f.engine.transcribe(f.clips[0]!.samples, { signal: aborted.signal })).rejects.toThrow(/abort/i);
      const late = new AbortController();
      const pending = f.engine.transcribe(f.clips[1]!.samples, { signal: late.signal });
      late.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      const after = await f.engine.transcribe(f.clips[2]!.samples);
      expect(wordErrorRate(f.clips[2]!.text, after.text)).toBeLessThanOrEqual(MAX_WER);
    });

    it('refuses a language it does not have', async () => {
      const missing = (['en', 'fr'] as const).find((l) => !f.engine.capabilities.languages.includes(l));
      if (!missing) return;
      await expect(f.engine.transcribe(f.clips[0]!.samples, { language: missing })).rejects.toThrow(/language/);
    });
  });
}

/**
 * The contract of a streaming STT (`capabilities.streaming`, `openStream`): the same accuracy when
 * the utterance arrives in pieces, most of the work done before `finish()`, partial transcripts,
 * streams kept apart, cancellation. Run in addition to `describeSttContract`.
 */
export function describeSttStreamContract(name: string, create: () => Promise<SttEngine>): void {
  describe(`STT streaming contract: ${name}`, () => {
    const f = sttFixture(create);
    const open = (options?: Parameters<NonNullable<SttEngine['openStream']>>[0]) => f.engine.openStream!(options);

    it('declares streaming', () => {
      expect(f.engine.capabilities.streaming).toBe(true);
      expect(typeof f.engine.openStream).toBe('function');
    });

    it(`transcribes an utterance written at real-time pace with WER ≤ ${MAX_WER * 100} %, partials on the way`, async () => {
      const clip = f.clips[1]!;
      const partials: string[] = [];
      const stream = open({ language: 'en', onPartial: (p) => partials.push(p) });
      await writeClip(stream, clip.samples, true);
      const { text, latencyMs } = await stream.finish();
      const audioMs = (clip.samples.length / 16_000) * 1000;
      console.info(`[stt ${name}] streamed ${audioMs.toFixed(0)} ms of audio: finish → transcript ${latencyMs.toFixed(0)} ms; ${partials.length} partials`);
      expect(wordErrorRate(clip.text, text), `"${clip.text}" → "${text}"`).toBeLessThanOrEqual(MAX_WER);
      // How little is left at finish (decoded while spoken) is measured by `npm run bench:voice`, not asserted here.
      expect(partials.length).toBeGreaterThan(2);
      expect(wordErrorRate(text, partials.at(-1)!)).toBeLessThanOrEqual(0.5);
    }, 30_000);

    it('keeps interleaved streams apart, more of them than decoders', async () => {
      const streams = f.clips.map(() => open());
      const chunks = Math.max(...f.clips.map((c) => Math.ceil(c.samples.length / 1600)));
      for (let n = 0; n < chunks; n++) f.clips.forEach((c, i) => streams[i]!.write(c.samples.subarray(n * 1600, (n + 1) * 1600)));
      const results = await Promise.all(streams.map((s) => s.finish()));
      results.forEach((r, i) => expect(wordErrorRate(f.clips[i]!.text, r.text), r.text).toBeLessThanOrEqual(MAX_WER));
    }, 30_000);

    it('an empty stream gives nothing, silence gives nothing', async () => {
      expect((await open().finish()).text).toBe('');
      const quiet = open();
      quiet.write(await f.audio.quiet(1000));
      expect((await quiet.finish()).text).toBe('');
    });

    it('cancel drops the utterance (a pending finish rejects), the next one is not polluted', async () => {
      const dropped = open();
      await writeClip(dropped, f.clips[0]!.samples.subarray(0, 16_000));
      dropped.cancel();
      await expect(dropped.finish()).rejects.toThrow(/cancel|abort/i);

      const pending = open();
      pending.write(f.clips[0]!.samples);
      const result = pending.finish();
      pending.cancel();
      await expect(result).rejects.toThrow(/cancel|abort/i);

      const aborted = new AbortController();
      const viaSignal = open({ signal: aborted.signal });
      viaSignal.write(f.clips[0]!.samples);
      aborted.abort();
      await expect(viaSignal.finish()).rejects.toThrow(/abort/i);

      const next = open();
      next.write(f.clips[2]!.samples);
      const { text } = await next.finish();
      expect(wordErrorRate(f.clips[2]!.text, text), text).toBeLessThanOrEqual(MAX_WER);
    }, 30_000);

    it('hypothesis(): a guess of the audio so far, and the utterance goes on', async () => {
      const clip = f.clips[2]!;
      const stream = open();
      if (!stream.hypothesis) return stream.cancel();
      const half = Math.floor(clip.samples.length / 2);
      stream.write(clip.samples.subarray(0, half));
      const early = (await stream.hypothesis())?.text ?? '';
      stream.write(clip.samples.subarray(half));
      const whole = await stream.hypothesis();
      const { text } = await stream.finish();
      expect(early.split(' ').length).toBeLessThan(text.split(' ').length);
      expect(wordErrorRate(clip.text, whole?.text ?? ''), `guess "${whole?.text}"`).toBeLessThanOrEqual(MAX_WER);
      expect(wordErrorRate(clip.text, text), text).toBeLessThanOrEqual(MAX_WER);
      // A guess said to be final is the transcript when no audio follows it.
      if (whole?.final) expect(whole.text).toBe(text);
    }, 30_000);

    it('ignores writes after finish, and refuses a language it does not have', async () => {
      const stream = open();
      stream.write(f.clips[0]!.samples);
      const result = stream.finish();
      stream.write(f.clips[1]!.samples);
      expect(wordErrorRate(f.clips[0]!.text, (await result).text)).toBeLessThanOrEqual(MAX_WER);
      const missing = (['en', 'fr'] as const).find((l) => !f.engine.capabilities.languages.includes(l));
      if (missing) expect(() => open({ language: missing })).toThrow(/language/);
    }, 30_000);
  });
}
