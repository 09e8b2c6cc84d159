/** Test audio for the browser voice e2e: festival speech as the fake microphone's WAV. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpokenWav {
  path: string;
  /** Where the speech ends in the file (last sample above the noise floor), in ms. */
  speechEndMs: number;
  durationMs: number;
  cleanup(): void;
}

/**
 * `text2wave` speaks the sentence; sox makes it what Chromium's fake capture device expects:
 * 48 kHz mono 16-bit, with 0.5 s of silence before and 1.5 s after (so the VAD closes the turn).
 */
export function spokenWav(sentence: string): SpokenWav {
  const dir = mkdtempSync(join(tmpdir(), 'coachhub-voice-e2e-'));
  const text = join(dir, 'sentence.txt');
  const raw = join(dir, 'festival.wav');
  const path = join(dir, 'speech-48k.wav');
  writeFileSync(text, sentence);
  execFileSync('text2wave', ['-o', raw, text]);
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', path, 'pad', '0.5', '1.5']);
  const { samples, rate } = readPcm16Wav(readFileSync(path));
  let last = 0;
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]!) > 600) last = i;
  return {
    path,
    speechEndMs: Math.round((last / rate) * 1000),
    durationMs: Math.round((samples.length / rate) * 1000),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function readPcm16Wav(buf: Buffer): { samples: Int16Array; rate: number } {
  let offset = 12;
  let rate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ') rate = buf.readUInt32LE(offset + 12);
    if (id === 'data') {
      const data = buf.subarray(offset + 8, offset + 8 + size);
      return { samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.byteLength & ~1))), rate };
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error('no data chunk in WAV');
}
