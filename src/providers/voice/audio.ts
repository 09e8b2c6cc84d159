/**
 * PCM helpers shared by the speech stages. Audio inside the engine is signed 16-bit little-endian
 * mono PCM ("PCM16"): 16 kHz into VAD/STT, 24 kHz out of TTS (the OpenAI Realtime output format).
 */
export const STT_SAMPLE_RATE = 16_000;
export const TTS_SAMPLE_RATE = 24_000;

/** Int16 samples → floats in [-1, 1) (what Silero expects). */
export function pcm16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** A little-endian PCM16 byte buffer viewed as samples (copies when the buffer is unaligned). */
export function bufferToPcm16(buffer: Buffer): Int16Array {
  const even = buffer.length - (buffer.length % 2);
  if (buffer.byteOffset % 2 === 0) return new Int16Array(buffer.buffer, buffer.byteOffset, even / 2);
  const copy = Buffer.from(buffer.subarray(0, even));
  return new Int16Array(copy.buffer, copy.byteOffset, even / 2);
}

export function pcm16ToBuffer(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** The one PCM join: pieces of PCM16 audio as one array (a copy, even for one piece). */
export function concatPcm16(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Byte chunks from a pipe → chunks of whole PCM16 samples: an odd byte is kept for the next chunk.
 * `push` returns what can be used now (possibly empty).
 */
export class Pcm16Bytes {
  private carry: Buffer | undefined;

  push(chunk: Buffer): Buffer {
    let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (data.length % 2) {
      this.carry = data.subarray(data.length - 1);
      data = data.subarray(0, data.length - 1);
    }
    return data;
  }
}

export function durationMs(samples: number, sampleRate: number): number {
  return (samples / sampleRate) * 1000;
}

/**
 * Reads the data chunk of a PCM16 mono WAV (as written by sox, festival and espeak-ng). Throws on
 * anything else, so a misconfigured tool fails loudly instead of producing noise.
 */
export function parseWav(wav: Buffer): { sampleRate: number; samples: Int16Array } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(body + 2);
      sampleRate = wav.readUInt32LE(body + 4);
      bits = wav.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (channels !== 1 || bits !== 16) throw new Error(`expected PCM16 mono, got ${bits}-bit × ${channels}`);
      // Streaming writers put 0 or 0xffffffff as the size: take what is there.
      const end = size === 0 || body + size > wav.length ? wav.length : body + size;
      return { sampleRate, samples: bufferToPcm16(Buffer.from(wav.subarray(body, end))) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV without data chunk');
}

export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, pcm16ToBuffer(samples)]);
}
