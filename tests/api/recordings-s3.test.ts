import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordings } from '../../src/features/bookings/tables.js';
import { s3Env, startFakeS3, type FakeS3 } from '../fakes/s3-server.js';
import { book, coachWithOffer, utcAt } from '../helpers/bookings.js';
import { multipart } from '../helpers/multipart.js';
import { expectByteRanges } from '../helpers/replay-ranges.js';
import { createTestApp, healthAsAdmin, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/** Recordings of built-in sessions kept in an S3-compatible bucket (S3_* set), end to end through the API. */
describe('recordings in S3-compatible storage', () => {
  let s3: FakeS3;
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    s3 = await startFakeS3();
    t = await createTestApp({
      ...s3Env(s3),
      RECORDING_MAX_BYTES: '4096',
    });
    orgId = (await makeOrganization(t.ctx)).id;
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  async function session() {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
    return { coach, player, reservationId: r.id as string };
  }
  const upload = (reservationId: string, headers: Record<string, string>, content: Buffer, type = 'video/webm') => {
    const form = multipart(content, type);
    return t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...headers, ...form.headers }, payload: form.payload });
  };

  it('reports the bucket in /api/health', async () => {
    const health = (await healthAsAdmin(t)).json();
    expect(JSON.stringify(health)).toContain(`"bucket":"${s3.bucket}"`);
  });

  it('uploads the coach’s recording into the bucket and streams it back to the player', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(2048);
    const before = s3.requests.length;
    const up = await upload(reservationId, coach.headers, content);
    expect(up.statusCode).toBe(201);
    const recording = up.json().recording;
    expect(recording).toMatchObject({ source: 'builtin', contentType: 'video/webm', sizeBytes: 2048 });

    const puts = s3.requests.slice(before).filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ bucket: s3.bucket, key: `recordings/${orgId}/${reservationId}/${recording.id}.webm`, contentType: 'video/webm' });
    expect(puts[0]!.credential?.startsWith(`${s3.accessKeyId}/`)).toBe(true);
    expect(Buffer.compare(puts[0]!.body, content)).toBe(0);

    const media = await t.app.inject({ method: 'GET', url: `/api/recordings/${recording.id}/media`, headers: player.headers });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('video/webm');
    expect(media.headers['content-length']).toBe('2048');
    expect(Buffer.compare(media.rawPayload, content)).toBe(0);
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', key: puts[0]!.key });
  });

  it('refuses a recording over RECORDING_MAX_BYTES with 413 and sends nothing to the bucket', async () => {
    const { coach, reservationId } = await session();
    const before = s3.requests.length;
    const res = await upload(reservationId, coach.headers, randomBytes(8192));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect(s3.requests.slice(before)).toEqual([]);
    expect(await t.ctx.database.db.select().from(recordings).where(eq(recordings.reservationId, reservationId))).toEqual([]);
  });

  it('answers 503 (not 500) when the bucket refuses or fails, and keeps no recording row', async () => {
    const { coach, reservationId } = await session();
    s3.failNext(403, 'AccessDenied');
    const denied = await upload(reservationId, coach.headers, randomBytes(1024));
    expect(denied.statusCode).toBe(503);
    expect(denied.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { storage: 's3', kind: 'auth' } });
    expect(denied.body).not.toContain('AccessDenied');

    s3.failNext(500, 'InternalError', 10);
    const down = await upload(reservationId, coach.headers, randomBytes(1024));
    s3.failNext(500, 'InternalError', 0);
    expect(down.statusCode).toBe(503);
    expect(await t.ctx.database.db.select().from(recordings).where(eq(recordings.reservationId, reservationId))).toEqual([]);
  });

  it('serves byte ranges of a recording from the bucket: only those bytes are asked of it (206, 416 past the end)', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(4000);
    const id = (await upload(reservationId, coach.headers, content)).json().recording.id as string;
    const from = s3.requests.length;
    await expectByteRanges(t, `/api/recordings/${id}/media`, player.headers, content);
    // The bucket got each range resolved against the size (past-the-end and reversed ranges never reached it).
    const ranged = s3.requests.slice(from).filter((r) => r.operation === 'GetObject').map((r) => r.headers.range);
    expect(ranged).toEqual([undefined, 'bytes=1000-1999', 'bytes=3990-3999', 'bytes=500-3999', 'bytes=3700-3999', undefined, undefined]);
  });

  it('answers 404 when the file left the bucket and 503 when the bucket is down during a replay', async () => {
    const { coach, player, reservationId } = await session();
    const id = (await upload(reservationId, coach.headers, randomBytes(512))).json().recording.id as string;
    s3.failNext(500, 'InternalError', 10);
    const down = await t.app.inject({ method: 'GET', url: `/api/recordings/${id}/media`, headers: player.headers });
    s3.failNext(500, 'InternalError', 0);
    expect(down.statusCode).toBe(503);
    s3.objects.delete(`recordings/${orgId}/${reservationId}/${id}.webm`);
    const gone = await t.app.inject({ method: 'GET', url: `/api/recordings/${id}/media`, headers: player.headers });
    expect(gone.statusCode).toBe(404);
  });
});

/** Recordings larger than one part go to the bucket as a streamed multipart upload. */
describe('large recordings in S3-compatible storage (multipart)', () => {
  const MiB = 1024 * 1024;
  let s3: FakeS3;
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    s3 = await startFakeS3();
    t = await createTestApp({
      ...s3Env(s3),
      // Parts are 5 MiB (S3's minimum, lib-storage's default): 11 MiB is three parts.
      RECORDING_MAX_BYTES: String(12 * MiB),
    });
    orgId = (await makeOrganization(t.ctx)).id;
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  async function session() {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
    return { coach, player, reservationId: r.id as string };
  }
  /** The form arrives in 64 KiB pieces, as from a socket (one 13 MiB chunk would trip the limit before any part is sent). */
  const upload = (reservationId: string, headers: Record<string, string>, content: Buffer) => {
    const form = multipart(content, 'video/webm');
    const pieces = Array.from({ length: Math.ceil(form.payload.length / 65_536) }, (_, i) => form.payload.subarray(i * 65_536, (i + 1) * 65_536));
    return t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...headers, ...form.headers }, payload: Readable.from(pieces) });
  };
  const keyOf = (reservationId: string) => `recordings/${orgId}/${reservationId}/`;
  const operations = (from: number, reservationId: string) => s3.requests.slice(from).filter((r) => r.key.startsWith(keyOf(reservationId))).map((r) => r.operation);
  const rows = (reservationId: string) => t.ctx.database.db.select().from(recordings).where(eq(recordings.reservationId, reservationId));
  const keptFor = (reservationId: string) => [...s3.objects.keys(), ...[...s3.uploads.values()].map((u) => u.key)].filter((k) => k.startsWith(keyOf(reservationId)));

  it('uploads a recording bigger than one part in parts, and the replay is the same bytes', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(11 * MiB + 7);
    const from = s3.requests.length;
    const up = await upload(reservationId, coach.headers, content);
    expect(up.statusCode).toBe(201);
    const recording = up.json().recording;
    expect(recording).toMatchObject({ sizeBytes: content.length, contentType: 'video/webm' });
    expect(operations(from, reservationId)).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    expect(s3.uploads.size).toBe(0);

    const media = await t.app.inject({ method: 'GET', url: `/api/recordings/${recording.id}/media`, headers: player.headers });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-length']).toBe(String(content.length));
    expect(Buffer.compare(media.rawPayload, content)).toBe(0);
  });

  it('refuses a recording over the limit with 413 once parts have gone out: the upload is aborted and nothing is kept', async () => {
    const { coach, reservationId } = await session();
    const from = s3.requests.length;
    const res = await upload(reservationId, coach.headers, randomBytes(13 * MiB));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    const seen = operations(from, reservationId);
    expect(seen).toContain('UploadPart');
    expect(seen.at(-1)).toBe('AbortMultipartUpload');
    expect(seen).not.toContain('CompleteMultipartUpload');
    expect(keptFor(reservationId)).toEqual([]);
    expect(await rows(reservationId)).toEqual([]);
  });

  it('answers 503 when the bucket keeps failing a part, aborts the upload and keeps no recording', async () => {
    const { coach, reservationId } = await session();
    const from = s3.requests.length;
    s3.failNext(500, 'InternalError', 20, 'UploadPart');
    const res = await upload(reservationId, coach.headers, randomBytes(6 * MiB));
    s3.failNext(500, 'InternalError', 0);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { storage: 's3', kind: 'server' } });
    expect(res.body).not.toContain('InternalError');
    expect(operations(from, reservationId)).toContain('AbortMultipartUpload');
    expect(keptFor(reservationId)).toEqual([]);
    expect(await rows(reservationId)).toEqual([]);
  });
});
