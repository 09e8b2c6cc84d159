import { join } from 'node:path';
import { createDiskStorage } from './disk-storage.js';
import { createS3Storage } from './s3-storage.js';
import type { Storage } from './types.js';

/** Local disk by default; an S3-compatible bucket when S3_BUCKET is set. */
export function createStorage(config: { STORAGE_DIR?: string | undefined; DATA_DIR: string; S3_BUCKET?: string | undefined; S3_REGION: string; S3_ENDPOINT?: string | undefined; S3_ACCESS_KEY_ID?: string | undefined; S3_SECRET_ACCESS_KEY?: string | undefined }): Storage {
  if (config.S3_BUCKET) {
    return createS3Storage({ bucket: config.S3_BUCKET, region: config.S3_REGION, endpoint: config.S3_ENDPOINT, accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY });
  }
  return createDiskStorage(config.STORAGE_DIR ?? join(config.DATA_DIR, 'storage'));
}
