import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../../../tests/fakes/s3-server.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { isAppError } from '../../platform/errors.js';
import { describeStorageContract } from './contract.js';
import { createS3Storage, S3_MIN_PART_BYTES, type S3Options } from './s3-storage.js';
import { createStorage } from './create-storage.js';
import { TooLargeError } from './types.js';

let fake: FakeS3;
let deadEndpoint: string;
beforeAll(async () => {
  fake = await startFakeS3();
  deadEndpoint = `http://127.0.0.1:${await freePort()}`;
});
afterAll(() => fake.close());

const options = (overrides: Partial<S3Options> = {}): S3Options => ({
  bucket: fake.bucket,
  region: fake.region,
  endpoint: fake.url,
  accessKeyId: fake.accessKeyId,
  secretAccessKey: fake.secretAccessKey,
  ...overrides,
});

describeStorageContract('s3 (loopback fake)', {
  storage: () => createS3Storage(options()),
  failing: () => createS3Storage(options({ accessKeyId: 'AKIAWRONGKEY000000' })),
});

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('S3 adapter on the wire', () => {
  it('puts, gets and deletes objects path-style with SigV4 requests naming the configured key', async () => {
    const s3 = createS3Storage(options());
    const key = `recordings/org-1/res-1/${randomBytes(4).toString('hex')}.webm`;
    const data = randomBytes(3_000);
    const from = fake.requests.length;
    expect(await s3.put(key, Readable.from([data]), 'video/webm', 10_000)).toBe(3_000);
    expect(Buffer.compare(await read(await s3.get(key)), data)).toBe(0);
    await s3.remove(key);

    const [put, get, del] = fake.requests.slice(from);
    for (const [req, method] of [[put, 'PUT'], [get, 'GET'], [del, 'DELETE']] as const) {
      expect(req).toMatchObject({ method, bucket: fake.bucket, key });
      expect(req!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\S+, ?SignedHeaders=\S+, ?Signature=[0-9a-f]{64}$/);
      expect(req!.credential).toMatch(new RegExp(`^${fake.accessKeyId}/\\d{8}/${fake.region}/s3/aws4_request$`));
    }
    expect(put!.contentType).toBe('video/webm');
    expect(Buffer.compare(put!.body, data)).toBe(0);
    expect(put!.headers['content-length']).toBe('3000');
    expect(fake.objects.has(key)).toBe(false);
  });

  it('is what createStorage picks when S3_BUCKET is set (disk otherwise)', () => {
    const env = { DATA_DIR: '/tmp/coachhub-unused', S3_REGION: fake.region };
    expect(createStorage({ ...env, S3_BUCKET: fake.bucket, S3_ENDPOINT: fake.url }).describe()).toEqual({ kind: 's3', bucket: fake.bucket, endpoint: fake.url });
    expect(createStorage(env).kind).toBe('disk');
  });

  it('rides out one transient 503 SlowDown (the SDK retries), and reports a bucket that keeps failing as 503', async () => {
    const s3 = createS3Storage(options());
    fake.failNext(503, 'SlowDown', 1);
    expect(await s3.put('recordings/retry.webm', Readable.from([Buffer.from('abc')]), 'video/webm', 100)).toBe(3);
    expect(fake.objects.get('recordings/retry.webm')?.body.toString()).toBe('abc');

    fake.failNext(500, 'InternalError', 10);
    const err = await s3.put('recordings/down.webm', Readable.from([Buffer.from('abc')]), 'video/webm', 100).catch((e: unknown) => e);
    fake.failNext(500, 'InternalError', 0);
    expect(isAppError(err) && [err.status, err.details]).toEqual([503, { storage: 's3', kind: 'server' }]);
  });

  it('reports an unreachable endpoint, a wrong key and a missing bucket as 503 with the reason', async () => {
    const cases: [Partial<S3Options>, string][] = [
      [{ endpoint: deadEndpoint }, 'connection'],
      [{ accessKeyId: 'AKIAWRONGKEY000000' }, 'auth'],
      [{ bucket: 'no-such-bucket' }, 'config'],
    ];
    for (const [override, kind] of cases) {
      const err = await createS3Storage(options(override)).put('k.webm', Readable.from([Buffer.from('abc')]), 'video/webm', 100).catch((e: unknown) => e);
      expect(isAppError(err) && [err.code, err.details]).toEqual(['PROVIDER_UNAVAILABLE', { storage: 's3', kind }]);
    }
  });
});

describe('S3 adapter: streamed multipart uploads', () => {
  const MiB = 1024 * 1024;
  const key = () => `recordings/org-1/res-1/${randomBytes(4).toString('hex')}.webm`;
  const ops = (from: number, k: string) => fake.requests.slice(from).filter((r) => r.key === k).map((r) => r.operation);
  /** `size` bytes in 1 MiB chunks; before the last chunk, waits (≤ 5 s) until `ready()` holds and tells whether it did. */
  function slowBody(data: Buffer, ready: () => boolean) {
    const seen = { beforeEnd: false };
    async function* chunks() {
      for (let at = 0; at < data.length; at += MiB) {
        if (at + MiB >= data.length) {
          for (let waited = 0; !ready() && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
          seen.beforeEnd = ready();
        }
        yield data.subarray(at, at + MiB);
      }
    }
    return { body: Readable.from(chunks()), seen };
  }

  it('sends a body larger than one part as parts while it is still arriving, and the object comes back intact', async () => {
    const s3 = createS3Storage(options({ partSizeBytes: 6 * MiB }));
    const k = key();
    const data = randomBytes(11 * MiB + 123);
    const from = fake.requests.length;
    const { body, seen } = slowBody(data, () => fake.requests.slice(from).some((r) => r.operation === 'UploadPart'));
    expect(await s3.put(k, body, 'video/webm', 12 * MiB)).toBe(data.length);
    // Part 1 reached the bucket before the last bytes were read: nothing waits for the whole body.
    expect(seen.beforeEnd).toBe(true);
    expect(ops(from, k)).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    const parts = fake.requests.slice(from).filter((r) => r.operation === 'UploadPart');
    expect(parts.map((r) => [r.query.get('partNumber'), r.body.length]).sort()).toEqual([['1', 6 * MiB], ['2', 5 * MiB + 123]]);
    expect(fake.requests.slice(from).find((r) => r.operation === 'CreateMultipartUpload')!.contentType).toBe('video/webm');
    expect(fake.objects.get(k)?.contentType).toBe('video/webm');
    expect(Buffer.compare(await read(await s3.get(k)), data)).toBe(0);
    expect(fake.uploads.size).toBe(0);
  });

  it('never uses parts under S3’s 5 MiB minimum', async () => {
    const s3 = createS3Storage(options({ partSizeBytes: 1024 }));
    const k = key();
    const from = fake.requests.length;
    await s3.put(k, Readable.from([randomBytes(S3_MIN_PART_BYTES + 10)]), 'video/webm', 20 * MiB);
    expect(fake.requests.slice(from).filter((r) => r.operation === 'UploadPart').map((r) => r.body.length).sort((a, b) => a - b)).toEqual([10, S3_MIN_PART_BYTES]);
  });

  it('stops at maxBytes while streaming: TooLargeError, the multipart upload aborted, nothing kept', async () => {
    const s3 = createS3Storage(options());
    const k = key();
    const from = fake.requests.length;
    const data = randomBytes(13 * MiB);
    const inMiBs = Array.from({ length: 13 }, (_, i) => data.subarray(i * MiB, (i + 1) * MiB));
    const err = await s3.put(k, Readable.from(inMiBs), 'video/webm', 12 * MiB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(ops(from, k)).toContain('UploadPart'); // parts had gone out: the limit held while streaming…
    expect(ops(from, k).at(-1)).toBe('AbortMultipartUpload'); // …and the upload was aborted,
    expect(ops(from, k)).not.toContain('CompleteMultipartUpload');
    expect(fake.objects.has(k)).toBe(false); // so the bucket keeps nothing.
    expect(fake.uploads.size).toBe(0);
  });

  it('reports a part the bucket keeps refusing as 503 (server), and aborts the upload', async () => {
    const s3 = createS3Storage(options());
    const k = key();
    const from = fake.requests.length;
    fake.failNext(500, 'InternalError', 20, 'UploadPart');
    const err = await s3.put(k, Readable.from([randomBytes(6 * MiB)]), 'video/webm', 12 * MiB).catch((e: unknown) => e);
    fake.failNext(500, 'InternalError', 0);
    expect(isAppError(err) && [err.status, err.details]).toEqual([503, { storage: 's3', kind: 'server' }]);
    expect(ops(from, k)).toContain('AbortMultipartUpload');
    expect(fake.objects.has(k)).toBe(false);
    expect(fake.uploads.size).toBe(0);
  });
});
