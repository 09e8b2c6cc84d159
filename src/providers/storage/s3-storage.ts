import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { limit } from './size-limit.js';
import type { Storage } from './types.js';
import { storageUnavailable, storedFileMissing, type StorageFailure } from './storage-error.js';

export interface S3Options {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, Garage, Scaleway, R2…): path-style addressing. Unset: AWS. */
  endpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /**
   * Bytes per part of a multipart upload (default and minimum: 5 MiB, S3's smallest part).
   * A body that fits in one part is sent as one PutObject.
   */
  partSizeBytes?: number | undefined;
  /** Parts uploaded at once (default 4): at most partSize × (queueSize + 1) bytes are held in memory per upload. */
  queueSize?: number | undefined;
}

export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;

/** What went wrong, from the SDK's error (an S3 error response, or no response at all). */
function failureOf(err: unknown): StorageFailure {
  const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status === undefined) return 'connection';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 400 || status === 301) return 'config'; // no such bucket, wrong region
  if (status === 429 || status === 503) return 'rate_limited';
  return 'server';
}

const isMissingKey = (err: unknown) => err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound');

/** An S3 bucket (AWS, or any S3-compatible endpoint) through the official SDK (SigV4, retries). */
export function createS3Storage(options: S3Options): Storage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
  });
  const fail = (err: unknown) => storageUnavailable('s3', failureOf(err), err);
  return {
    kind: 's3',
    async put(key, body, contentType, maxBytes) {
      // Streamed: the body goes out part by part (lib-storage's multipart Upload; one PutObject
      // when it fits in a part), counted and limited on the way. When the body fails (too large,
      // client gone), lib-storage aborts the multipart upload, so the bucket keeps nothing, and
      // that error is the answer: it is the upload's, not the bucket's.
      let size = 0;
      let bodyError: unknown;
      const counted = async function* (source: AsyncIterable<Buffer>) {
        try {
          for await (const chunk of source) {
            size += chunk.length;
            yield chunk;
          }
        } catch (err) {
          bodyError = err;
          throw err;
        }
      };
      const upload = new Upload({
        client,
        params: { Bucket: options.bucket, Key: key, Body: Readable.from(counted(limit(maxBytes)(body))), ContentType: contentType },
        partSize: Math.max(options.partSizeBytes ?? S3_MIN_PART_BYTES, S3_MIN_PART_BYTES),
        queueSize: options.queueSize ?? 4,
      });
      try {
        await upload.done();
      } catch (err) {
        if (bodyError !== undefined) throw bodyError;
        throw fail(err);
      }
      return size;
    },
    async get(key, range) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
        return res.Body as Readable;
      } catch (err) {
        throw isMissingKey(err) ? storedFileMissing(err) : fail(err);
      }
    },
    async remove(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
      } catch (err) {
        throw fail(err);
      }
    },
    describe: () => ({ kind: 's3', bucket: options.bucket, endpoint: options.endpoint ?? 'aws' }),
  };
}
