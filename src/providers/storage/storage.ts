import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Where recordings (and later avatars) are kept: local disk by default, S3-compatible when configured. */
export interface Storage {
  readonly kind: 'disk' | 's3';
  /** Stores a stream under `key`; returns its size in bytes. Refuses more than `maxBytes`. */
  put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<number>;
  get(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  describe(): Record<string, unknown>;
}

export class TooLargeError extends Error {}

function limit(maxBytes: number) {
  let seen = 0;
  return async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      seen += chunk.length;
      if (seen > maxBytes) throw new TooLargeError(`larger than ${maxBytes} bytes`);
      yield chunk;
    }
  };
}

export function createDiskStorage(root: string): Storage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const p = resolve(base, key);
    if (!p.startsWith(base + sep)) throw new Error('storage key escapes the storage folder');
    return p;
  };
  return {
    kind: 'disk',
    async put(key, body, _contentType, maxBytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      try {
        await pipeline(body, limit(maxBytes), createWriteStream(path));
      } catch (err) {
        await rm(path, { force: true });
        throw err;
      }
      return (await stat(path)).size;
    },
    async get(key) {
      return createReadStream(pathOf(key));
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    describe: () => ({ kind: 'disk' }),
  };
}

export function createS3Storage(options: { bucket: string; region: string; endpoint?: string | undefined; accessKeyId?: string | undefined; secretAccessKey?: string | undefined }): Storage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
  });
  return {
    kind: 's3',
    async put(key, body, contentType, maxBytes) {
      // Buffered so the size limit holds and S3 gets a Content-Length (recordings are bounded by maxBytes).
      const chunks: Buffer[] = [];
      for await (const chunk of Readable.from(body).compose(limit(maxBytes))) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: data, ContentType: contentType }));
      return data.length;
    },
    async get(key) {
      const res = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      return res.Body as Readable;
    },
    async remove() {
      // Recordings are kept; deletion is a lifecycle rule of the bucket.
    },
    describe: () => ({ kind: 's3', bucket: options.bucket, endpoint: options.endpoint ?? 'aws' }),
  };
}

export function createStorage(config: { STORAGE_DIR?: string | undefined; DATA_DIR: string; S3_BUCKET?: string | undefined; S3_REGION: string; S3_ENDPOINT?: string | undefined; S3_ACCESS_KEY_ID?: string | undefined; S3_SECRET_ACCESS_KEY?: string | undefined }): Storage {
  if (config.S3_BUCKET) {
    return createS3Storage({ bucket: config.S3_BUCKET, region: config.S3_REGION, endpoint: config.S3_ENDPOINT, accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY });
  }
  return createDiskStorage(config.STORAGE_DIR ?? join(config.DATA_DIR, 'storage'));
}
