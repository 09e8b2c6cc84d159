/**
 * Streaming 24 kHz → 16 kHz PCM16 downsampler (ratio 3:2). Each group of three input samples
 * gives two outputs: a low-passed sample at t=0 and the midpoint of samples 1 and 2 (t=1.5).
 * Leftover samples are kept between calls, so chunk sizes do not matter.
 */
import { concatPcm16 } from '../audio.js';

export class Downsampler24to16 {
  private carry = new Int16Array(0);
  private previous = 0;

  push(input: Int16Array): Int16Array {
    const all = this.carry.length ? concatPcm16([this.carry, input]) : input;
    const groups = Math.floor(all.length / 3);
    const out = new Int16Array(groups * 2);
    for (let g = 0; g < groups; g++) {
      const a = all[g * 3]!;
      const b = all[g * 3 + 1]!;
      const c = all[g * 3 + 2]!;
      out[g * 2] = Math.round(0.25 * this.previous + 0.5 * a + 0.25 * b);
      out[g * 2 + 1] = Math.round((b + c) / 2);
      this.previous = c;
    }
    this.carry = all.slice(groups * 3);
    return out;
  }

  reset(): void {
    this.carry = new Int16Array(0);
    this.previous = 0;
  }
}
