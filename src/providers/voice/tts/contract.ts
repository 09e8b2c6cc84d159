/**
 * The contract every TTS adapter passes: PCM16 24 kHz chunks sentence by sentence, audible,
 * distinct voices, every declared language, and cancellation that kills the synthesizer processes.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../child-process.js';
import type { TtsChunk, TtsEngine, TtsLanguage } from './types.js';

export const SAMPLE_TEXT: Record<TtsLanguage, string> = {
  en: 'Hello, and welcome to your coaching session. What would you like to work on today?',
  fr: 'Bonjour et bienvenue dans votre séance de coaching. Sur quoi voulez-vous travailler aujourd’hui ?',
};

export async function collect(stream: AsyncIterable<TtsChunk>): Promise<TtsChunk[]> {
  const chunks: TtsChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export const pcmOf = (chunks: TtsChunk[]): Buffer => Buffer.concat(chunks.map((c) => c.pcm));
export const hashOf = (pcm: Buffer): string => createHash('sha256').update(pcm).digest('hex');
const seconds = (pcm: Buffer): number => pcm.length / 2 / 24_000;

function rms(pcm: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2;
  return Math.sqrt(sum / Math.max(1, pcm.length / 2));
}

/** This process's child processes (to prove cancellation killed them). */
export async function childProcesses(): Promise<{ pid: number; name: string }[]> {
  const out = await run('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]).catch(() => Buffer.from(''));
  return out
    .toString('utf8')
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.trim() !== 'ps')
    .map((m) => ({ pid: Number(m[1]), name: m[2]!.trim() }));
}

export async function childProcessNames(): Promise<string[]> {
  return (await childProcesses()).map((p) => p.name);
}

/**
 * `synthesizerProcesses`: started per sentence, all gone soon after an abort (an engine may let
 * the sentence under way finish, ~1 s at most, rather than kill a warm process). `warmProcesses`:
 * kept between sentences (festival with its voice loaded): they survive an abort.
 */
export function describeTtsContract(name: string, create: () => TtsEngine & { close?(): Promise<void> }, synthesizerProcesses: string[], warmProcesses: string[] = []): void {
  describe(`TTS contract: ${name}`, () => {
    const engine = create();
    afterAll(() => engine.close?.());

    it('declares PCM16 24 kHz, sentence streaming, languages and voices', () => {
      expect(engine.capabilities.sampleRate).toBe(24_000);
      expect(engine.capabilities.streaming).toBe('sentence');
      expect(engine.capabilities.languages.length).toBeGreaterThan(0);
      expect(engine.capabilities.voices.length).toBeGreaterThan(0);
    });

    for (const language of engine.capabilities.languages) {
      it(`speaks ${language} sentence by sentence as audible 24 kHz PCM16`, async () => {
        const chunks = await collect(engine.synthesize(SAMPLE_TEXT[language], { voice: engine.capabilities.voices[0]!, language }));
        expect(chunks.length).toBeGreaterThanOrEqual(2);
        expect(chunks.every((c) => c.pcm.length % 2 === 0 && c.pcm.length > 0)).toBe(true);
        const indexes = [...new Set(chunks.map((c) => c.sentenceIndex))];
        expect(indexes).toEqual([0, 1]);
        expect(chunks[0]!.sentence).toMatch(/^(Hello|Bonjour)/);
        // ~16 words: between 2 and 12 s of speech at 24 kHz (a wrong rate would be far off).
        const pcm = pcmOf(chunks);
        expect(seconds(pcm)).toBeGreaterThan(2);
        expect(seconds(pcm)).toBeLessThan(12);
        expect(rms(pcm)).toBeGreaterThan(300);
      });

      it(`gives every voice a distinct sound in ${language}`, async () => {
        const say = async (voice: (typeof engine.capabilities.voices)[number]) =>
          hashOf(pcmOf(await collect(engine.synthesize('Thank you, see you next week.', { voice, language }))));
        const hashes = new Map<string, string>();
        for (const voice of engine.capabilities.voices) hashes.set(voice, await say(voice));
        expect(new Set(hashes.values()).size).toBe(engine.capabilities.voices.length);
        // Synthesis is deterministic, so the differences come from the voices, not from noise.
        const first = engine.capabilities.voices[0]!;
        expect(await say(first)).toBe(hashes.get(first));
      });
    }

    it('refuses a language it does not have', async () => {
      const missing = (['en', 'fr'] as const).find((l) => !engine.capabilities.languages.includes(l));
      if (!missing) return;
      await expect(collect(engine.synthesize('Hello.', { voice: engine.capabilities.voices[0]!, language: missing }))).rejects.toThrow(/language/);
    });

    it('stops and kills its processes when the signal aborts', async () => {
      const controller = new AbortController();
      const long = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1} of a long answer.`).join(' ');
      const seen: TtsChunk[] = [];
      let speaking: number[] = [];
      const done = (async () => {
        for await (const chunk of engine.synthesize(long, { voice: engine.capabilities.voices[0]!, language: 'en', signal: controller.signal })) {
          seen.push(chunk);
          if (seen.length === 1) {
            speaking = (await childProcesses()).filter((p) => warmProcesses.includes(p.name)).map((p) => p.pid);
            controller.abort();
          }
        }
      })();
      await expect(done).rejects.toThrow(/abort/i);
      expect(new Set(seen.map((c) => c.sentenceIndex)).size).toBe(1);
      // Nothing goes on after the sentence that was under way: no process left a moment later…
      await expect
        .poll(async () => (await childProcesses()).filter((p) => synthesizerProcesses.includes(p.name)), { timeout: 2000, interval: 50 })
        .toEqual([]);
      // …and warm processes were kept.
      const alive = await childProcesses();
      for (const pid of speaking) expect(alive.some((p) => p.pid === pid)).toBe(true);
    });

    it('yields nothing once aborted before starting', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(collect(engine.synthesize('Hello there.', { voice: engine.capabilities.voices[0]!, signal: controller.signal }))).rejects.toThrow(/abort/i);
    });
  });
}
