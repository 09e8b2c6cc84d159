import type { Readable } from 'node:stream';
import type { ByteRange } from '../../platform/byte-range.js';

export { TooLargeError } from './size-limit.js';

/**
 * Where recordings (and later avatars) are kept: local disk by default, an S3-compatible
 * bucket when S3_BUCKET is set. Adapters pass the shared contract (contract.ts). Failures of
 * the storage itself are AppError PROVIDER_UNAVAILABLE (503); a missing file is NOT_FOUND.
 */
export interface Storage {
  readonly kind: 'disk' | 's3';
  /** Stores a stream under `key`; returns its size in bytes. Refuses more than `maxBytes` (TooLargeError). */
  put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<number>;
  /** The file, or only bytes `range.start`–`range.end` of it (the caller checked them against its size). */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Deletes `key`; deleting a missing key is not an error. */
  remove(key: string): Promise<void>;
  describe(): Record<string, unknown>;
}
