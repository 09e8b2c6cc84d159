/**
 * The contract every storage adapter passes (run from each adapter's test file): what is put
 * comes back byte for byte, the size limit stores nothing, missing files are NOT_FOUND, and
 * a broken storage is PROVIDER_UNAVAILABLE (503) — never an untyped error (500).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { TooLargeError, type Storage } from './types.js';

export interface StorageContractHarness {
  storage(): Storage;
  /** A storage whose backend is broken (unreachable, refused, read-only…). */
  failing(): Storage;
}

const key = () => `recordings/org/${randomUUID()}/${randomUUID()}.webm`;
/** A body arriving in several chunks, like an upload. */
const chunked = (data: Buffer) => Readable.from([data.subarray(0, 1000), data.subarray(1000, 5000), data.subarray(5000)]);

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    // A stream that fails later still counts: read it.
    if (value instanceof Readable) await text(value);
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

export function describeStorageContract(name: string, harness: StorageContractHarness): void {
  describe(`Storage contract: ${name}`, () => {
    it('gives back what was put, byte for byte, and its size', async () => {
      const s = harness.storage();
      const k = key();
      const data = randomBytes(12_345);
      expect(await s.put(k, chunked(data), 'video/webm', 20_000)).toBe(12_345);
      expect(Buffer.compare(await bytes(await s.get(k)), data)).toBe(0);
    });

    it('gives back a byte range of what was put', async () => {
      const s = harness.storage();
      const k = key();
      const data = randomBytes(12_345);
      await s.put(k, chunked(data), 'video/webm', 20_000);
      expect(Buffer.compare(await bytes(await s.get(k, { start: 1000, end: 5999 })), data.subarray(1000, 6000))).toBe(0);
      expect(Buffer.compare(await bytes(await s.get(k, { start: 12_344, end: 12_344 })), data.subarray(12_344))).toBe(0);
    });

    it('refuses more than maxBytes with TooLargeError and keeps nothing', async () => {
      const s = harness.storage();
      const k = key();
      const err = await errorOf(s.put(k, chunked(randomBytes(8_000)), 'video/webm', 7_999));
      expect(err).toBeInstanceOf(TooLargeError);
      const missing = await errorOf(s.get(k));
      expect(isAppError(missing) && missing.code).toBe('NOT_FOUND');
    });

    it('answers NOT_FOUND for a missing file, and deletes files (deleting twice is fine)', async () => {
      const s = harness.storage();
      const k = key();
      await s.put(k, chunked(randomBytes(6_000)), 'video/webm', 10_000);
      await s.remove(k);
      await s.remove(k);
      const err = await errorOf(s.get(k));
      expect(isAppError(err) && err.code).toBe('NOT_FOUND');
    });

    it('reports a broken storage as PROVIDER_UNAVAILABLE, on writes and reads', async () => {
      const s = harness.failing();
      const put = await errorOf(s.put(key(), chunked(randomBytes(6_000)), 'video/webm', 10_000));
      expect(isAppError(put) && put.code).toBe('PROVIDER_UNAVAILABLE');
      expect(isAppError(put) && put.message).not.toMatch(/ENOTDIR|ECONNREFUSED|AccessDenied|InvalidAccessKeyId/);
      const get = await errorOf(s.get(key()));
      expect(isAppError(get) && get.code).toBe('PROVIDER_UNAVAILABLE');
    });
  });
}
