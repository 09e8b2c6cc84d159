/**
 * AudioWorklet processor: microphone frames (the context's rate, often 48 kHz) → PCM16 24 kHz
 * mono, posted to the main thread in CAPTURE_CHUNK_MS chunks (40 ms, 960 samples) as transferable buffers.
 * Loaded with `audioWorklet.addModule(url)` where `url` comes from `?worker&url` (Vite bundles it).
 */
import { CAPTURE_CHUNK_MS, CAPTURE_PROCESSOR, floatToPcm16, REALTIME_SAMPLE_RATE, StreamResampler } from './pcm.js';

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new (options?: unknown) => WorkletProcessor): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
interface WorkletProcessor {
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}

const CHUNK_SAMPLES = (REALTIME_SAMPLE_RATE * CAPTURE_CHUNK_MS) / 1000;

class PcmCaptureProcessor extends AudioWorkletProcessor implements WorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate, REALTIME_SAMPLE_RATE);
  private pending = new Float32Array(CHUNK_SAMPLES);
  private filled = 0;
  private muted = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<{ muted?: boolean }>) => {
      if (typeof event.data.muted === 'boolean') this.muted = event.data.muted;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    // Downmix to mono.
    let mono = first;
    if (channels.length > 1) {
      mono = new Float32Array(first.length);
      for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]! / channels.length;
    }
    const resampled = this.resampler.process(mono);
    let offset = 0;
    while (offset < resampled.length) {
      const n = Math.min(resampled.length - offset, CHUNK_SAMPLES - this.filled);
      this.pending.set(resampled.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === CHUNK_SAMPLES) {
        const pcm = floatToPcm16(this.muted ? new Float32Array(CHUNK_SAMPLES) : this.pending);
        this.port.postMessage(pcm.buffer, [pcm.buffer]);
        this.pending = new Float32Array(CHUNK_SAMPLES);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR, PcmCaptureProcessor);
