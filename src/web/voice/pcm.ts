/** PCM helpers shared by the capture worklet, the playback queue and the transports. */

/** The Realtime protocol's audio format: PCM16, 24 kHz, mono, little-endian. */
export const REALTIME_SAMPLE_RATE = 24_000;
/**
 * ms of microphone audio per WebSocket append. Short, because the server's VAD can only close a
 * turn when the chunk holding the end of the closing silence arrives (a 100 ms chunk adds ~50 ms
 * on average to every reply); 40 ms is 25 small messages a second.
 */
export const CAPTURE_CHUNK_MS = 40;

/** Name the capture worklet registers its processor under. */
export const CAPTURE_PROCESSOR = 'pcm-capture';

/** Float samples in [-1, 1] → PCM16 (clamped). */
export function floatToPcm16(input: Float32Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const s = Math.max(-1, Math.min(1, input[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** PCM16 → float samples in [-1, 1). */
export function pcm16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i]! / 0x8000;
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Little-endian PCM16 bytes (as the protocol sends them) → samples. Odd trailing byte dropped. */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/**
 * Streaming linear resampler (e.g. 48 kHz context → 24 kHz). Keeps its fractional position and
 * the last input sample between blocks, so consecutive 128-sample render quanta join seamlessly.
 * A simple low-pass (averaging over the step) avoids the worst aliasing when downsampling.
 */
export class StreamResampler {
  private readonly step: number;
  private position = 0;
  private previous = 0;

  constructor(readonly fromRate: number, readonly toRate: number) {
    this.step = fromRate / toRate;
  }

  process(input: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) return input.slice();
    const out: number[] = [];
    // position is relative to input[0]; index -1 is `previous`.
    const at = (i: number): number => (i < 0 ? this.previous : input[Math.min(i, input.length - 1)]!);
    while (this.position < input.length - 1) {
      const i = Math.floor(this.position);
      const frac = this.position - i;
      let value = at(i) * (1 - frac) + at(i + 1) * frac;
      if (this.step > 1) {
        // average the samples the step skips over (box filter)
        const span = Math.floor(this.step);
        let sum = 0;
        for (let k = 0; k < span; k++) sum += at(i - k);
        value = (value + sum / span) / 2;
      }
      out.push(value);
      this.position += this.step;
    }
    this.position -= input.length;
    this.previous = input[input.length - 1] ?? this.previous;
    return Float32Array.from(out);
  }
}
