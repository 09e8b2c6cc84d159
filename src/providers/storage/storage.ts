import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange } from '../../platform/byte-range.js';
import { createDiskStorage } from './disk-storage.js';
import { createS3Storage } from './s3-storage.js';

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

export function createStorage(config: { STORAGE_DIR?: string | undefined; DATA_DIR: string; S3_BUCKET?: string | undefined; S3_REGION: string; S3_ENDPOINT?: string | undefined; S3_ACCESS_KEY_ID?: string | undefined; S3_SECRET_ACCESS_KEY?: string | undefined }): Storage {
  if (config.S3_BUCKET) {
    return createS3Storage({ bucket: config.S3_BUCKET, region: config.S3_REGION, endpoint: config.S3_ENDPOINT, accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY });
  }
  return createDiskStorage(config.STORAGE_DIR ?? join(config.DATA_DIR, 'storage'));
}
