import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../../../tests/fakes/s3-server.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { isAppError } from '../../platform/errors.js';
import { describeStorageContract } from './contract.js';
import { createS3Storage, type S3Options } from './s3-storage.js';
import { createStorage } from './storage.js';

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
