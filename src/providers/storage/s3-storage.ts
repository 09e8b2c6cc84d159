import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { limit } from './size-limit.js';
import type { Storage } from './storage.js';
import { storageUnavailable, storedFileMissing, type StorageFailure } from './storage-error.js';

export interface S3Options {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, Garage, Scaleway, R2…): path-style addressing. Unset: AWS. */
  endpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

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
      // Buffered so the size limit holds before anything is sent and S3 gets a Content-Length
      // (recordings are bounded by maxBytes). Errors here are the upload's, not the bucket's.
      const chunks: Buffer[] = [];
      for await (const chunk of Readable.from(body).compose(limit(maxBytes))) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      try {
        await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: data, ContentType: contentType }));
      } catch (err) {
        throw fail(err);
      }
      return data.length;
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
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
