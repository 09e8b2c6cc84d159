import type { SttStream } from '../../src/providers/voice/stt/types.js';

/** Writes a clip into an STT stream in 100 ms chunks, at real-time pace when `paced` (as a microphone would). */
export async function writeClip(stream: SttStream, samples: Int16Array, paced = false): Promise<void> {
  const started = performance.now();
  for (let i = 0, n = 1; i < samples.length; i += 1600, n++) {
    stream.write(samples.subarray(i, i + 1600));
    const wait = started + n * 100 - performance.now();
    if (paced && wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
