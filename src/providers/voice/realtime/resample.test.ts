import { describe, expect, it } from 'vitest';
import { Downsampler24to16 } from './resample.js';

const sine = (hz: number, rate: number, n: number) => Int16Array.from({ length: n }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / rate)));
const crossings = (s: Int16Array) => s.reduce((n, v, i) => n + (i > 0 && (s[i - 1]! < 0) !== (v < 0) ? 1 : 0), 0);

describe('24 → 16 kHz downsampler', () => {
  it('keeps 2 of every 3 samples and the pitch of a tone, whatever the chunking', () => {
    const input = sine(440, 24_000, 24_000);
    const whole = new Downsampler24to16().push(input);
    expect(whole.length).toBe(16_000);
    // 440 Hz for one second: ~880 zero crossings at either rate.
    expect(Math.abs(crossings(whole) - 880)).toBeLessThanOrEqual(2);
    const chunked = new Downsampler24to16();
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 1001) parts.push(...chunked.push(input.subarray(i, i + 1001)));
    expect(Int16Array.from(parts)).toEqual(whole);
    // Amplitude is preserved in the speech band.
    expect(Math.max(...whole)).toBeGreaterThan(9_000);
  });
});
