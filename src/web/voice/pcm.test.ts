import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, bytesToPcm16, floatToPcm16, pcm16ToBytes, pcm16ToFloat, StreamResampler } from './pcm.js';

describe('PCM helpers of the voice client', () => {
  it('converts float ⇄ PCM16 with clamping and round-trips little-endian bytes through base64', () => {
    const pcm = floatToPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5]));
    expect([...pcm]).toEqual([0, 32767, -32768, 32767, -32768, 16384]);
    const bytes = pcm16ToBytes(pcm);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 0xff, 0x7f]);
    expect([...bytesToPcm16(base64ToBytes(bytesToBase64(bytes)))]).toEqual([...pcm]);
    expect(pcm16ToFloat(Int16Array.from([-32768, 16384]))[0]).toBe(-1);
  });

  it('resamples 48 kHz → 24 kHz in 128-sample blocks without losing or duplicating samples', () => {
    const resampler = new StreamResampler(48_000, 24_000);
    const seconds = 1;
    const input = Float32Array.from({ length: 48_000 * seconds }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 48_000));
    const out: number[] = [];
    for (let i = 0; i < input.length; i += 128) out.push(...resampler.process(input.subarray(i, i + 128)));
    expect(Math.abs(out.length - 24_000 * seconds)).toBeLessThanOrEqual(1);
    // The 440 Hz tone survives: compare with the ideal 24 kHz sine (a half-sample filter delay allowed).
    let error = 0;
    for (let i = 10; i < out.length - 10; i++) error = Math.max(error, Math.abs(out[i]! - Math.sin((2 * Math.PI * 440 * (i - 0.25)) / 24_000)));
    expect(error).toBeLessThan(0.1);
  });

  it('passes audio through unchanged when the rates match, and upsamples 16 kHz → 24 kHz', () => {
    expect([...new StreamResampler(24_000, 24_000).process(Float32Array.from([0.1, 0.2]))]).toEqual([Float32Array.from([0.1])[0], Float32Array.from([0.2])[0]]);
    const up = new StreamResampler(16_000, 24_000);
    let n = 0;
    for (let i = 0; i < 100; i++) n += up.process(new Float32Array(160)).length;
    expect(Math.abs(n - 24_000)).toBeLessThanOrEqual(2);
  });
});
