import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordings, reservations } from '../../src/features/bookings/tables.js';
import { verifyDailySignature } from '../../src/providers/video/daily-webhook.js';
import { signDailyWebhook, startFakeDaily, type FakeDaily } from '../fakes/daily-server.js';
import { book, coachWithOffer, utcAt } from '../helpers/bookings.js';
import { multipart } from '../helpers/multipart.js';
import { expectByteRanges } from '../helpers/replay-ranges.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

const SECRET = randomBytes(32).toString('base64');

describe('Daily webhook signature (Daily’s scheme)', () => {
  it('accepts the base64 HMAC-SHA256 of "timestamp.body" keyed by the decoded secret, and nothing else', () => {
    const body = '{"type":"recording.ready-to-download"}';
    const headers = signDailyWebhook(SECRET, body);
    const ok = { secretBase64: SECRET, timestamp: headers['x-webhook-timestamp'], signature: headers['x-webhook-signature'], rawBody: body };
    expect(verifyDailySignature(ok)).toBe(true);
    expect(verifyDailySignature({ ...ok, rawBody: body.replace('ready', 'READY') })).toBe(false);
    expect(verifyDailySignature({ ...ok, secretBase64: randomBytes(32).toString('base64') })).toBe(false);
    expect(verifyDailySignature({ ...ok, timestamp: String(Number(ok.timestamp) + 1) })).toBe(false);
    expect(verifyDailySignature({ ...ok, signature: undefined })).toBe(false);
    // A captured delivery replayed ten minutes later is refused.
    expect(verifyDailySignature({ ...ok, nowMs: Date.now() + 10 * 60_000 })).toBe(false);
  });
});

describe('recordings and replays', () => {
  let fake: FakeDaily;
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    fake = await startFakeDaily();
    t = await createTestApp({ DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url, DAILY_WEBHOOK_SECRET: SECRET, RECORDING_MAX_BYTES: '4096' });
    orgId = (await makeOrganization(t.ctx)).id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function session() {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
    const [row] = await t.ctx.database.db.select().from(reservations).where(eq(reservations.id, r.id));
    return { coach, player, reservationId: r.id as string, roomName: row!.roomName };
  }

  const deliver = (body: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/webhooks/daily', headers: { 'content-type': 'application/json', ...headers }, payload: body });

  it('stores a Daily recording from a signed webhook, once, and shows it to the two participants only', async () => {
    const { coach, player, reservationId, roomName } = await session();
    fake.recordingFiles.set('rec-123', randomBytes(5000));
    const body = JSON.stringify({ version: '1.0.0', type: 'recording.ready-to-download', id: 'evt-1', payload: { recording_id: 'rec-123', room_name: roomName, duration: 3540, status: 'finished' }, event_ts: Date.now() / 1000 });
    const first = await deliver(body, signDailyWebhook(SECRET, body));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ok: true, result: 'stored' });
    const again = await deliver(body, signDailyWebhook(SECRET, body));
    expect(again.json().result).toBe('duplicate');
    expect(await t.ctx.database.db.select().from(recordings).where(eq(recordings.reservationId, reservationId))).toHaveLength(1);

    const list = await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/recordings`, headers: player.headers });
    expect(list.json().recordings).toMatchObject([{ source: 'daily', durationMs: 3_540_000 }]);
    const media = await t.app.inject({ method: 'GET', url: `/api/recordings/${list.json().recordings[0].id}/media`, headers: coach.headers });
    expect(media.statusCode).toBe(200);
    expect(Buffer.compare(media.rawPayload, fake.recordingFiles.get('rec-123')!)).toBe(0);

    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/recordings`, headers: admin.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/recordings/${list.json().recordings[0].id}/media`, headers: admin.headers })).statusCode).toBe(403);
  });

  it('streams a Daily replay through our origin (the CSP allows media from self only), with byte ranges for seeking', async () => {
    const { coach, player, roomName } = await session();
    const file = randomBytes(10_000);
    fake.recordingFiles.set('rec-range', file);
    const body = JSON.stringify({ type: 'recording.ready-to-download', payload: { recording_id: 'rec-range', room_name: roomName, duration: 60 } });
    await deliver(body, signDailyWebhook(SECRET, body));
    const [rec] = await t.ctx.database.db.select().from(recordings).where(eq(recordings.externalId, 'rec-range'));
    const url = `/api/recordings/${rec!.id}/media`;

    const whole = await t.app.inject({ method: 'GET', url, headers: player.headers });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'video/mp4', 'content-length': '10000', 'accept-ranges': 'bytes', 'cache-control': 'private, no-store' });
    expect(whole.headers.location).toBeUndefined();
    expect(Buffer.compare(whole.rawPayload, file)).toBe(0);
    // The page may load media from its own origin only: a redirect to Daily's storage would be blocked.
    expect(whole.headers['content-security-policy']).toMatch(/media-src 'self' blob:;/);

    const part = await t.app.inject({ method: 'GET', url, headers: { ...coach.headers, range: 'bytes=1000-1999' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers).toMatchObject({ 'content-range': 'bytes 1000-1999/10000', 'content-length': '1000' });
    expect(Buffer.compare(part.rawPayload, file.subarray(1000, 2000))).toBe(0);
    expect(fake.downloads.at(-1)).toMatchObject({ range: 'bytes=1000-1999' });
    expect(fake.downloads.at(-1)!.signature).toMatch(/^[0-9a-f]{16}$/);

    // A malformed Range is ignored (the whole file); one past the end is 416, as for our own recordings.
    expect((await t.app.inject({ method: 'GET', url, headers: { ...coach.headers, range: 'bytes=abc' } })).statusCode).toBe(200);
    expect(fake.downloads.at(-1)!.range).toBeUndefined();
    const past = await t.app.inject({ method: 'GET', url, headers: { ...coach.headers, range: 'bytes=20000-' } });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */10000');
    expect(past.json()).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', details: { size: 10_000 } });

    // Daily unreachable, or the file gone: a clear 503, never a 500.
    fake.failNext(500, 3);
    const down = await t.app.inject({ method: 'GET', url, headers: player.headers });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'daily' } });
    fake.failNext(500, 0);
    fake.recordingFiles.delete('rec-range');
    expect((await t.app.inject({ method: 'GET', url, headers: player.headers })).statusCode).toBe(503);
    const stranger = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url, headers: stranger.headers })).statusCode).toBe(403);
  });

  it('refuses unsigned, badly signed or tampered webhooks (401) and ignores unknown rooms and events', async () => {
    const { roomName } = await session();
    const body = JSON.stringify({ type: 'recording.ready-to-download', payload: { recording_id: 'rec-evil', room_name: roomName } });
    expect((await deliver(body, {})).statusCode).toBe(401);
    const signed = signDailyWebhook(SECRET, body);
    expect((await deliver(body.replace('rec-evil', 'rec-evil2'), signed)).statusCode).toBe(401);
    expect((await deliver(body, signDailyWebhook(randomBytes(32).toString('base64'), body))).statusCode).toBe(401);
    expect((await t.ctx.database.db.select().from(recordings).where(eq(recordings.externalId, 'rec-evil')))).toEqual([]);

    const unknownRoom = JSON.stringify({ type: 'recording.ready-to-download', payload: { recording_id: 'rec-x', room_name: 'no-such-room' } });
    expect((await deliver(unknownRoom, signDailyWebhook(SECRET, unknownRoom))).json().result).toBe('ignored');
    const test = '{"test":"test"}';
    expect((await deliver(test, signDailyWebhook(SECRET, test))).json().result).toBe('ignored');
    expect((await deliver('not json', signDailyWebhook(SECRET, 'not json'))).statusCode).toBe(400);
  });

  it('takes the coach’s browser upload (built-in rooms) onto disk and plays it back to the participants', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(2048);
    const form = multipart(content, 'video/webm');
    const up = await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...coach.headers, ...form.headers }, payload: form.payload });
    expect(up.statusCode).toBe(201);
    expect(up.json().recording).toMatchObject({ source: 'builtin', contentType: 'video/webm', sizeBytes: 2048 });
    const media = await t.app.inject({ method: 'GET', url: `/api/recordings/${up.json().recording.id}/media`, headers: player.headers });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('video/webm');
    expect(Buffer.compare(media.rawPayload, content)).toBe(0);

    const asPlayer = multipart(content, 'video/webm');
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...player.headers, ...asPlayer.headers }, payload: asPlayer.payload })).statusCode).toBe(403);
    const notVideo = multipart(content, 'text/html');
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...coach.headers, ...notVideo.headers }, payload: notVideo.payload })).statusCode).toBe(400);
    const tooBig = multipart(randomBytes(8192), 'video/webm');
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...coach.headers, ...tooBig.headers }, payload: tooBig.payload })).statusCode).toBe(413);
    const stranger = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url: `/api/recordings/${up.json().recording.id}/media`, headers: stranger.headers })).statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/recordings`, headers: coach.headers });
    expect(list.json().recordings).toHaveLength(1);
  });

  it('serves byte ranges of a built-in recording kept on disk (206, 416 past the end), for seeking', async () => {
    const { coach, player, reservationId } = await session();
    const content = randomBytes(4000);
    const form = multipart(content, 'video/webm');
    const up = await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...coach.headers, ...form.headers }, payload: form.payload });
    const url = `/api/recordings/${up.json().recording.id}/media`;
    await expectByteRanges(t, url, player.headers, content);
    const stranger = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url, headers: { ...stranger.headers, range: 'bytes=0-9' } })).statusCode).toBe(403);
  });
});
