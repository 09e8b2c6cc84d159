import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordings } from '../../src/db/schema.js';
import { startFakeS3, type FakeS3 } from '../fakes/s3-server.js';
import { book, coachWithOffer, utcAt } from '../helpers/bookings.js';
import { multipart } from '../helpers/multipart.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/** Recordings of built-in sessions kept in an S3-compatible bucket (S3_* set), end to end through the API. */
describe('recordings in S3-compatible storage', () => {
  let s3: FakeS3;
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    s3 = await startFakeS3();
    t = await createTestApp({
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
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
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
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
