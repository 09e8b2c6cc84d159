/** Spoken test clips at 24 kHz (the Realtime input format), made at run time with festival + sox. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav, parseWav } from '../../src/providers/voice/audio.js';
import { run } from '../../src/providers/voice/child-process.js';
import type { SpeechAudioFactory } from './speech-audio.js';

let counter = 0;

/** `text` spoken by festival, resampled to 24 kHz, padded with `padMs` of silence each side. */
export async function speak24k(factory: SpeechAudioFactory, text: string, padMs = 500): Promise<Int16Array> {
  const clip = await factory.speak(text, 0);
  const id = `rt${++counter}`;
  const wav16 = join(factory.dir, `${id}-16k.wav`);
  const wav24 = join(factory.dir, `${id}-24k.wav`);
  await writeFile(wav16, encodeWav(clip.samples, 16_000));
  await run('sox', [wav16, '-r', '24000', wav24, 'pad', String(padMs / 1000), String(padMs / 1000)]);
  return parseWav(await readFile(wav24)).samples;
}

export const silence24k = (ms: number): Int16Array => new Int16Array(Math.round(ms * 24));

/** Splits 24 kHz audio into base64 `input_audio_buffer.append` payloads of `chunkMs`. */
export function appendChunks(samples: Int16Array, chunkMs = 100): string[] {
  const size = chunkMs * 24;
  const out: string[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const part = samples.subarray(i, i + size);
    out.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'));
  }
  return out;
}
