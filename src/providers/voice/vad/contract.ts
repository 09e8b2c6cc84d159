/**
 * The contract every VAD adapter passes, on real speech (festival) and on silence/noise. Used by
 * each adapter's test file: `describeVadContract('silero', () => createSileroVad())`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechAudioFactory, type SpeechAudioFactory, type SpokenClip } from '../../../../tests/helpers/speech-audio.js';
import type { VadEngine, VadEvent } from './types.js';

/** How far detected boundaries may be from the measured truth. */
export const BOUNDARY_TOLERANCE_MS = 150;

/** Turn events (speech_started / speech_stopped), or every event with `withAudio`. */
async function feed(engine: VadEngine, samples: Int16Array, options = {}, chunk = 1234, withAudio = false): Promise<VadEvent[]> {
  const stream = await engine.createStream(options);
  const events: VadEvent[] = [];
  // Odd chunk sizes: the stream must reframe audio however it arrives.
  for (let i = 0; i < samples.length; i += chunk) events.push(...(await stream.push(samples.subarray(i, i + chunk))));
  events.push(...stream.flush());
  return withAudio ? events : events.filter((e) => e.type === 'speech_started' || e.type === 'speech_stopped');
}

export function describeVadContract(name: string, create: () => Promise<VadEngine>): void {
  describe(`VAD contract: ${name}`, () => {
    let engine: VadEngine;
    let audio: SpeechAudioFactory;
    let clip: SpokenClip;

    beforeAll(async () => {
      audio = await speechAudioFactory();
      [engine, clip] = await Promise.all([create(), audio.speak('Good morning. I would like to book a coaching session for Thursday.', 800)]);
    }, 60_000);
    afterAll(async () => {
      await engine?.close();
      await audio?.cleanup();
    });

    it('declares 16 kHz input and a streaming frame size', () => {
      expect(engine.capabilities.sampleRates).toContain(16_000);
      expect(engine.capabilities.frameSamples).toBeGreaterThan(0);
    });

    it('finds one speech segment within tolerance of the measured truth', async () => {
      const events = await feed(engine, clip.samples, { silenceDurationMs: 500, prefixPaddingMs: 300 });
      expect(events.map((e) => e.type)).toEqual(['speech_started', 'speech_stopped']);
      const stopped = events[1] as Extract<VadEvent, { type: 'speech_stopped' }>;
      expect(Math.abs(stopped.speechStartMs - clip.speechStartMs)).toBeLessThanOrEqual(BOUNDARY_TOLERANCE_MS);
      expect(Math.abs(stopped.speechEndMs - clip.speechEndMs)).toBeLessThanOrEqual(BOUNDARY_TOLERANCE_MS);
    });

    it('applies prefix padding and silence duration like server_vad', async () => {
      const events = await feed(engine, clip.samples, { prefixPaddingMs: 300, silenceDurationMs: 500 });
      const [started, stopped] = events as [Extract<VadEvent, { type: 'speech_started' }>, Extract<VadEvent, { type: 'speech_stopped' }>];
      expect(started.speechStartMs - started.audioStartMs).toBeGreaterThanOrEqual(300 - 32);
      expect(started.speechStartMs - started.audioStartMs).toBeLessThanOrEqual(300 + 32);
      expect(stopped.audioEndMs - stopped.speechEndMs).toBeGreaterThanOrEqual(500);
      expect(stopped.audioEndMs - stopped.speechEndMs).toBeLessThanOrEqual(500 + 64);
      // The utterance handed to STT spans padding + speech + closing silence.
      const audioMs = (stopped.audio.length / 16_000) * 1000;
      expect(Math.abs(audioMs - (stopped.audioEndMs - started.audioStartMs))).toBeLessThanOrEqual(64);
    });

    it('streams the utterance while it is spoken: started.audio + speech_audio… + closing silence = stopped.audio', async () => {
      for (const chunk of [1234, 320, 4000]) {
        const events = await feed(engine, clip.samples, { prefixPaddingMs: 300, silenceDurationMs: 500 }, chunk, true);
        expect(events[0]!.type).toBe('speech_started');
        expect(events.at(-1)!.type).toBe('speech_stopped');
        const middle = events.slice(1, -1).filter((e) => e.type !== 'speech_paused');
        expect(middle.every((e) => e.type === 'speech_audio')).toBe(true);
        // Audio arrives while the user speaks, not only at the end.
        expect(middle.length).toBeGreaterThan(5);
        const streamed = [events[0]!, ...middle].flatMap((e) => ('audio' in e ? [...e.audio] : []));
        const stopped = events.at(-1) as Extract<VadEvent, { type: 'speech_stopped' }>;
        expect(Int16Array.from(streamed)).toEqual(stopped.audio.subarray(0, streamed.length));
        // What was held back is most of the silence that closed the turn (a short tail may be streamed).
        const heldBackMs = (stopped.audio.length - streamed.length) / 16;
        expect(heldBackMs).toBeGreaterThanOrEqual(500 - 200);
        expect(heldBackMs).toBeLessThanOrEqual(500 + 64);
      }
    });

    it('reports a pause before the turn ends, after the audio streamed so far, once per pause', async () => {
      const events = await feed(engine, clip.samples, { silenceDurationMs: 500 }, 1234, true);
      const paused = events.filter((e): e is Extract<VadEvent, { type: 'speech_paused' }> => e.type === 'speech_paused');
      expect(paused.length).toBeGreaterThanOrEqual(1);
      const last = paused.at(-1)!;
      const stopped = events.at(-1) as Extract<VadEvent, { type: 'speech_stopped' }>;
      expect(last.speechEndMs).toBe(stopped.speechEndMs);
      // The last pause comes after the last streamed audio, and nothing but the stop follows it.
      const at = events.lastIndexOf(last);
      expect(events.slice(at + 1).map((e) => e.type)).toEqual(['speech_stopped']);
      // With a longer closing silence the pause is reported 300 ms before the turn would end.
      const longer = new Int16Array(clip.samples.length + 16_000);
      longer.set(clip.samples);
      const late = await feed(engine, longer, { silenceDurationMs: 1200 }, 320, true);
      const types = late.map((e) => e.type);
      expect(types.filter((t) => t === 'speech_paused').length).toBeLessThanOrEqual(paused.length);
      expect(types.at(-2)).toBe('speech_paused');
    });

    it('splits at pauses longer than silenceDurationMs only', async () => {
      const gap = await audio.quiet(900);
      const twice = new Int16Array(clip.samples.length * 2 + gap.length);
      twice.set(clip.samples);
      twice.set(gap, clip.samples.length);
      twice.set(clip.samples, clip.samples.length + gap.length);
      const short = await feed(engine, twice, { silenceDurationMs: 500 });
      expect(short.filter((e) => e.type === 'speech_stopped')).toHaveLength(2);
      const long = await feed(engine, twice, { silenceDurationMs: 3500 });
      expect(long.filter((e) => e.type === 'speech_stopped')).toHaveLength(1);
    });

    it('finds no speech in silence or low noise', async () => {
      expect(await feed(engine, await audio.quiet(3000))).toEqual([]);
      expect(await feed(engine, await audio.quiet(3000, true))).toEqual([]);
    });

    it('reports per-frame probabilities spanning speech and silence', async () => {
      const probs = await engine.probabilities(clip.samples);
      expect(probs.length).toBe(Math.floor(clip.samples.length / engine.capabilities.frameSamples));
      expect(Math.max(...probs)).toBeGreaterThan(0.9);
      expect(Math.min(...probs)).toBeLessThan(0.1);
    });
  });
}
