import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { SpeechCapabilities } from '../speech-capabilities.js';
import { collect, describeTtsContract, hashOf, pcmOf } from './contract.js';
import { espeakVoiceName } from './espeak-tts.js';
import { createLocalTts, localTtsEngineFor } from './local-tts.js';
import { soxToPcm24 } from './pcm-stream.js';
import { VOICE_IDS } from './types.js';
import { LOCAL_VOICES } from './voices.js';

const everything: Pick<SpeechCapabilities, 'espeak' | 'festival' | 'sox'> = {
  espeak: { available: true, languages: ['en', 'fr'] },
  festival: { available: true },
  sox: { available: true },
};

describeTtsContract('local (festival + espeak-ng)', () => createLocalTts(everything)!, ['espeak-ng', 'text2wave', 'sox'], ['festival']);

/** What espeak-ng + sox produce for a voice name, run directly (the reference for routing). */
function direct(voiceName: string, pitch: number, speed: number, text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const espeak = spawn('espeak-ng', ['--stdout', '-v', voiceName, '-p', String(pitch), '-s', String(speed)]);
    const sox = spawn('sox', soxToPcm24('-'));
    espeak.stdout.pipe(sox.stdin);
    const out: Buffer[] = [];
    sox.stdout.on('data', (c: Buffer) => out.push(c));
    sox.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`sox ${code}`))));
    espeak.stdin.end(text);
  });
}

describe('local TTS routing', () => {
  const tts = createLocalTts(everything)!;
  afterAll(() => tts.close());

  it('maps the 8 OpenAI voices to 8 distinct sounds, with festival for alloy and sage', async () => {
    expect(tts.capabilities.voices).toEqual(VOICE_IDS);
    const results = await Promise.all(
      VOICE_IDS.map(async (voice) => {
        const pcm = pcmOf(await collect(tts.synthesize('Nice to meet you.', { voice, language: 'en' })));
        return { voice, hash: hashOf(pcm), ms: (pcm.length / 48_000) * 1000 };
      }),
    );
    expect(new Set(results.map((r) => r.hash)).size).toBe(8);
    expect(VOICE_IDS.filter((v) => localTtsEngineFor(v, 'en', true) === 'festival')).toEqual(['alloy', 'sage']);
  });

  it('speaks French text with a French espeak-ng voice, even for festival voices', async () => {
    for (const voice of ['alloy', 'coral'] as const) {
      expect(espeakVoiceName(voice, 'fr')).toMatch(/^fr\+/);
      const text = 'Merci, à la semaine prochaine.';
      const routed = pcmOf(await collect(tts.synthesize(text, { voice, language: 'fr' })));
      const { pitch, speed } = LOCAL_VOICES[voice].espeak;
      expect(hashOf(routed)).toBe(hashOf(await direct(espeakVoiceName(voice, 'fr'), pitch, speed, text)));
      // The same words with the English voice sound different.
      const english = pcmOf(await collect(tts.synthesize(text, { voice: 'coral', language: 'en' })));
      expect(hashOf(english)).not.toBe(hashOf(routed));
    }
  });

  it('falls back to espeak-ng when festival is missing, and is null without any synthesizer', async () => {
    const espeakOnly = createLocalTts({ ...everything, festival: { available: false, reason: 'festival not installed' } })!;
    expect(espeakOnly.name).toBe('espeak-ng');
    const pcm = pcmOf(await collect(espeakOnly.synthesize('Nice to meet you.', { voice: 'alloy' })));
    const { pitch, speed } = LOCAL_VOICES.alloy.espeak;
    expect(hashOf(pcm)).toBe(hashOf(await direct(espeakVoiceName('alloy', 'en'), pitch, speed, 'Nice to meet you.')));
    expect(createLocalTts({ ...everything, espeak: { available: false, languages: [] }, festival: { available: false } })).toBeNull();
    expect(createLocalTts({ ...everything, sox: { available: false } })).toBeNull();
  });
});
