import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/**
 * Checks a replay URL serves `content` with byte ranges as a media player uses them: the whole
 * file advertises `Accept-Ranges: bytes`; `bytes=a-b`, `a-` and `-n` are 206 with the slice and
 * its Content-Range; past the end is 416 naming the size; a multi-range or malformed Range is
 * ignored (200, the whole file).
 */
export async function expectByteRanges(t: TestApp, url: string, headers: Record<string, string>, content: Buffer): Promise<void> {
  const size = content.length;
  const get = (range?: string) => t.app.inject({ method: 'GET', url, headers: range ? { ...headers, range } : headers });

  const whole = await get();
  expect(whole.statusCode).toBe(200);
  expect(whole.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-length': String(size), 'cache-control': 'private, no-store' });
  expect(Buffer.compare(whole.rawPayload, content)).toBe(0);

  const cases: [string, number, number][] = [
    ['bytes=1000-1999', 1000, 1999],
    [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1],
    ['bytes=500-', 500, size - 1],
    ['bytes=-300', size - 300, size - 1],
  ];
  for (const [range, start, end] of cases) {
    const part = await get(range);
    expect(part.statusCode, range).toBe(206);
    expect(part.headers, range).toMatchObject({ 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1), 'accept-ranges': 'bytes' });
    expect(Buffer.compare(part.rawPayload, content.subarray(start, end + 1)), range).toBe(0);
  }

  const past = await get(`bytes=${size}-`);
  expect(past.statusCode).toBe(416);
  expect(past.headers['content-range']).toBe(`bytes */${size}`);
  expect(past.json()).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', details: { size } });
  // Reversed: range-parser (src/platform/byte-range.ts) answers unsatisfiable.
  expect((await get('bytes=9-2')).statusCode).toBe(416);

  for (const ignored of ['bytes=0-1,5-6', 'bytes=abc']) {
    const res = await get(ignored);
    expect(res.statusCode, ignored).toBe(200);
    expect(Buffer.compare(res.rawPayload, content), ignored).toBe(0);
  }
}
