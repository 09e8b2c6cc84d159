import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordings, reservations } from '../../src/features/bookings/tables.js';
import { book, coachWithOffer, HOUR, utcAt } from '../helpers/bookings.js';
import { multipart } from '../helpers/multipart.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

const MIN = 60_000;
const GRACE_MS = 60 * MIN;

/**
 * The limits of recording uploads (issue 11): an exact allow-list of media types (parameters
 * parsed, not matched by prefix), replays served with the stored type, nosniff and a safe file
 * name, no uploads to cancelled sessions or long after the room closed, and a per-session
 * count and total size — exact under parallel uploads.
 */
describe(`recording uploads: types, replay headers and limits (${testDbKind()})`, () => {
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp({
      RECORDING_MAX_BYTES: '4096',
      RECORDING_MAX_PER_SESSION: '3',
      RECORDING_MAX_SESSION_BYTES: '10000',
      RECORDING_UPLOAD_GRACE_MS: String(GRACE_MS),
    });
    orgId = (await makeOrganization(t.ctx)).id;
  });
  afterAll(() => t.close());

  async function session() {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
    return { coach, player, reservationId: r.id as string };
  }
  const upload = (headers: Record<string, string>, reservationId: string, content: Buffer, type: string) => {
    const form = multipart(content, type);
    return t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...headers, ...form.headers }, payload: form.payload });
  };
  const rows = (reservationId: string) => t.ctx.database.db.select().from(recordings).where(eq(recordings.reservationId, reservationId));
  /** Files kept for the session on disk (a refused upload must leave none). */
  async function filesOf(reservationId: string): Promise<string[]> {
    const dir = join(t.ctx.config.DATA_DIR, 'storage', 'recordings', orgId, reservationId);
    return readdir(dir).catch(() => []);
  }

  it('accepts exactly video/webm, video/mp4, audio/webm, audio/mp4 (codecs parameters allowed) and stores the bare type', async () => {
    const accepted: [string, string][] = [
      ['video/webm;codecs="vp8,opus"', 'video/webm'],
      ['VIDEO/MP4', 'video/mp4'],
      ['audio/webm; codecs=opus', 'audio/webm'],
    ];
    const { coach, reservationId } = await session();
    for (const [type, stored] of accepted) {
      const res = await upload(coach.headers, reservationId, randomBytes(100), type);
      expect({ type, status: res.statusCode }).toEqual({ type, status: 201 });
      expect(res.json().recording.contentType).toBe(stored);
    }
    const other = await session();
    expect((await upload(other.coach.headers, other.reservationId, randomBytes(100), 'audio/mp4')).json().recording.contentType).toBe('audio/mp4');
  });

  it('refuses every other type with 400 naming file — including look-alikes a prefix test let through — and keeps nothing', async () => {
    const { coach, reservationId } = await session();
    for (const type of ['video/webmx', 'video/mp4-evil', 'audio/webm2', 'video/mpeg', 'text/html', 'image/svg+xml', 'application/octet-stream', 'video/x-matroska']) {
      const res = await upload(coach.headers, reservationId, randomBytes(100), type);
      expect({ type, status: res.statusCode, code: res.json().code }).toEqual({ type, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.json().details).toMatchObject({ field: 'file' });
    }
    expect(await rows(reservationId)).toHaveLength(0);
    expect(await filesOf(reservationId)).toEqual([]);
  });

  it('serves a replay with the stored type, nosniff and an inline file name of our own', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(1000);
    const id = (await upload(coach.headers, reservationId, content, 'audio/webm;codecs=opus')).json().recording.id as string;
    for (const range of [undefined, 'bytes=0-9']) {
      const media = await t.app.inject({ method: 'GET', url: `/api/recordings/${id}/media`, headers: { ...player.headers, ...(range ? { range } : {}) } });
      expect(media.statusCode).toBe(range ? 206 : 200);
      expect(media.headers['content-type']).toBe('audio/webm');
      expect(media.headers['x-content-type-options']).toBe('nosniff');
      expect(media.headers['content-disposition']).toBe(`inline; filename="recording-${id}.weba"`);
    }
  });

  it('refuses uploads to a cancelled session (409 cancelled)', async () => {
    const { coach, player, reservationId } = await session();
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/cancel`, headers: player.headers })).statusCode).toBe(200);
    const res = await upload(coach.headers, reservationId, randomBytes(100), 'video/webm');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT', details: { reason: 'cancelled' } });
    expect(await rows(reservationId)).toHaveLength(0);
  });

  it('takes uploads until RECORDING_UPLOAD_GRACE_MS after the room expired, then 409 ended', async () => {
    const { coach, reservationId } = await session();
    const endsAgo = async (ms: number) => {
      const end = Date.now() - ms;
      await t.ctx.database.db
        .update(reservations)
        .set({ startAt: new Date(end - HOUR), endAt: new Date(end), roomExpiresAt: new Date(end + 30 * MIN) })
        .where(eq(reservations.id, reservationId));
    };
    // The room expired 20 minutes ago: still within the grace.
    await endsAgo(50 * MIN);
    expect((await upload(coach.headers, reservationId, randomBytes(100), 'video/webm')).statusCode).toBe(201);
    // The room expired longer ago than the grace.
    await endsAgo(30 * MIN + GRACE_MS + MIN);
    const late = await upload(coach.headers, reservationId, randomBytes(100), 'video/webm');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'CONFLICT', details: { reason: 'ended' } });
    expect(await rows(reservationId)).toHaveLength(1);
  });

  it('holds at most RECORDING_MAX_PER_SESSION recordings per session (409 too_many_recordings)', async () => {
    const { coach, reservationId } = await session();
    for (let i = 0; i < 3; i++) expect((await upload(coach.headers, reservationId, randomBytes(100), 'video/webm')).statusCode).toBe(201);
    const fourth = await upload(coach.headers, reservationId, randomBytes(100), 'video/webm');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json()).toMatchObject({ code: 'CONFLICT', details: { reason: 'too_many_recordings', limit: 3 } });
    expect(await rows(reservationId)).toHaveLength(3);
    expect(await filesOf(reservationId)).toHaveLength(3);
  });

  it('holds at most RECORDING_MAX_SESSION_BYTES per session (413 session_bytes), and a file over RECORDING_MAX_BYTES is 413 file_bytes', async () => {
    const { coach, reservationId } = await session();
    const tooBig = await upload(coach.headers, reservationId, randomBytes(5000), 'video/webm');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { reason: 'file_bytes', limit: 4096 } });
    expect((await upload(coach.headers, reservationId, randomBytes(4000), 'video/webm')).statusCode).toBe(201);
    expect((await upload(coach.headers, reservationId, randomBytes(4000), 'video/webm')).statusCode).toBe(201);
    // 8,000 of 10,000 bytes used: a 4,000-byte file would pass the file limit, not the session's.
    const over = await upload(coach.headers, reservationId, randomBytes(4000), 'video/webm');
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { reason: 'session_bytes', limit: 10000 } });
    expect(await rows(reservationId)).toHaveLength(2);
    expect(await filesOf(reservationId)).toHaveLength(2);
    // What is left still fits.
    expect((await upload(coach.headers, reservationId, randomBytes(1500), 'video/webm')).statusCode).toBe(201);
  });

  it('parallel uploads cannot pass the count together: exactly the limit is kept, the others are 409 and leave no file', async () => {
    const { coach, reservationId } = await session();
    const results = await Promise.all(Array.from({ length: 8 }, () => upload(coach.headers, reservationId, randomBytes(500), 'video/webm')));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(await rows(reservationId)).toHaveLength(3);
    expect(await filesOf(reservationId)).toHaveLength(3);
  });

  it('parallel uploads cannot pass the session total together', async () => {
    const { coach, reservationId } = await session();
    const results = await Promise.all(Array.from({ length: 3 }, () => upload(coach.headers, reservationId, randomBytes(4000), 'video/webm')));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 413]);
    const kept = await rows(reservationId);
    expect(kept.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0)).toBe(8000);
    expect(await filesOf(reservationId)).toHaveLength(2);
  });
});
