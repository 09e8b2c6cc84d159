import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '../../src/features/bookings/tables.js';
import { roomTokenKey, verifyRoomToken } from '../../src/providers/video/room-token.js';
import { startFakeDaily, type FakeDaily } from '../fakes/daily-server.js';
import { book, coachWithOffer, HOUR, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

const MIN = 60_000;

/** Moves a reservation so that it starts `startInMs` from now (the test's way to travel in time). */
async function startsIn(t: TestApp, id: string, startInMs: number) {
  const start = Date.now() + startInMs;
  await t.ctx.database.db
    .update(reservations)
    .set({ startAt: new Date(start), endAt: new Date(start + HOUR), roomExpiresAt: new Date(start + HOUR + 30 * MIN) })
    .where(eq(reservations.id, id));
}

describe('GET /api/reservations/:id/video-token — built-in provider', () => {
  let t: TestApp;
  let orgId: string;
  let coach: Awaited<ReturnType<typeof signedInUser>>;
  let player: Awaited<ReturnType<typeof signedInUser>>;
  let reservationId: string;

  beforeAll(async () => {
    t = await createTestApp({ ICE_SERVERS: '[{"urls":"stun:stun.example.test:3478"},{"urls":"turn:turn.example.test:3478","username":"u","credential":"p"}]' });
    orgId = (await makeOrganization(t.ctx)).id;
    const offer = await coachWithOffer(t, orgId);
    coach = offer.coach;
    player = await signedInUser(t, { organizationId: orgId });
    reservationId = (await book(t, player.headers, offer.announcement, utcAt(2, 10))).json().reservation.id;
    await startsIn(t, reservationId, 10 * MIN);
  });
  afterAll(() => t.close());

  const get = (headers: Record<string, string> | undefined, id = reservationId, kind = 'video-token') => t.app.inject({ method: 'GET', url: `/api/reservations/${id}/${kind}`, headers });

  it('gives the coach an owner token and the player a participant token, fresh each time', async () => {
    const key = roomTokenKey(t.ctx.config.AUTH_SECRET);
    const c = await get(coach.headers);
    expect(c.statusCode).toBe(200);
    expect(c.headers['cache-control']).toBe('no-store');
    const body = c.json();
    expect(body).toMatchObject({ userRole: 'coach', provider: 'builtin', signalingPath: '/api/video/signal' });
    expect(body.roomUrl).toBe(`http://localhost:3000/sessions/room/${body.roomName}`);
    expect(body.iceServers).toHaveLength(2);
    const claims = await verifyRoomToken(key, body.token);
    expect(claims).toMatchObject({ room: body.roomName, userId: coach.user.id, role: 'owner', maxParticipants: 2 });
    expect(claims.ejectAtMs).toBe(Math.floor(Date.parse(body.roomExpiresAt) / 1000) * 1000);
    // Short-lived: ten minutes by default, never beyond the room.
    expect(claims.expiresAtMs - Date.now()).toBeLessThanOrEqual(10 * MIN);

    const p = await get(player.headers, reservationId, 'daily-token');
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ userRole: 'player', roomName: body.roomName, startDate: body.startDate, endDate: body.endDate });
    expect((await verifyRoomToken(key, p.json().token)).role).toBe('participant');
    expect(p.json().token).not.toBe(body.token);
  });

  it('refuses everyone else: other member, other coach, admin, API key (403), other organization and unknown (404), anonymous (401)', async () => {
    const member = await signedInUser(t, { organizationId: orgId });
    const otherCoach = await signedInUser(t, { organizationId: orgId, role: 'coach' });
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const outsider = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id, role: 'admin' });
    const { key } = await t.ctx.services.apiKeys.create({ organizationId: orgId, name: 'integration', scopes: ['bookings'] });
    const matrix: [string, Record<string, string> | undefined, number, string | null][] = [
      ['other member', member.headers, 403, 'FORBIDDEN'],
      ['other coach', otherCoach.headers, 403, 'FORBIDDEN'],
      ['admin of the organization', admin.headers, 403, 'FORBIDDEN'],
      ['organization API key', { authorization: `Bearer ${key}` }, 403, 'FORBIDDEN'],
      ['admin of another organization', outsider.headers, 404, 'NOT_FOUND'],
      ['anonymous', undefined, 401, 'UNAUTHENTICATED'],
    ];
    for (const [who, headers, status, code] of matrix) {
      const res = await get(headers);
      expect({ who, status: res.statusCode, code: res.json().code }).toEqual({ who, status, code });
    }
    expect((await get(player.headers, 'no-such-reservation')).statusCode).toBe(404);
  });

  it('answers 409 CONFLICT with a reason when too early, after expiry, or cancelled', async () => {
    const offer = await coachWithOffer(t, orgId);
    const p = await signedInUser(t, { organizationId: orgId });
    const id = (await book(t, p.headers, offer.announcement, utcAt(3, 10))).json().reservation.id;

    await startsIn(t, id, 16 * MIN);
    const early = await get(p.headers, id);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'CONFLICT', details: { reason: 'too_early' } });
    expect(early.json().message).toMatch(/15 minutes/);

    await startsIn(t, id, 14 * MIN);
    expect((await get(p.headers, id)).statusCode).toBe(200);

    // Ended an hour and a half ago: the room expired 30 minutes after the end.
    await startsIn(t, id, -(HOUR + 31 * MIN));
    const late = await get(offer.coach.headers, id);
    expect(late.statusCode).toBe(409);
    expect(late.json().details.reason).toBe('ended');

    await startsIn(t, id, 5 * MIN);
    await t.ctx.database.db.update(reservations).set({ status: 'cancelled' }).where(eq(reservations.id, id));
    expect((await get(p.headers, id)).json().details.reason).toBe('cancelled');
  });

  it('never stores a token', async () => {
    const token = (await get(coach.headers)).json().token as string;
    const [row] = await t.ctx.database.db.select().from(reservations).where(eq(reservations.id, reservationId));
    expect(JSON.stringify(row)).not.toContain(token.split('.')[2]);
  });
});

describe('GET /api/reservations/:id/daily-token — Daily provider (loopback fake)', () => {
  let fake: FakeDaily;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeDaily();
    t = await createTestApp({ DAILY_API_KEY: fake.apiKey, DAILY_API_URL: fake.url });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('creates the Daily room at booking and mints Daily meeting tokens by role', async () => {
    const orgId = (await makeOrganization(t.ctx)).id;
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
    const [row] = await t.ctx.database.db.select().from(reservations).where(eq(reservations.id, r.id));
    const room = fake.rooms.get(row!.roomName)!;
    expect(room.privacy).toBe('private');
    expect(room.config).toMatchObject({ exp: Math.floor(Date.parse(r.roomExpiresAt) / 1000), max_participants: 2, eject_at_room_exp: true });
    expect(row!.roomUrl).toBe(room.url);

    await startsIn(t, r.id, 5 * MIN);
    // (Time travel only moves our row; the Daily room created at booking is reused by name.)
    const res = await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}/daily-token`, headers: coach.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ provider: 'daily', roomUrl: room.url, roomName: room.name, userRole: 'coach', signalingPath: null });
    expect(fake.tokens.get(body.token)).toMatchObject({ room_name: room.name, is_owner: true, user_name: coach.user.name });
    const asPlayer = await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}/daily-token`, headers: player.headers });
    expect(fake.tokens.get(asPlayer.json().token)).toMatchObject({ is_owner: false, user_name: player.user.name });
  });

  it('creates the room lazily at join when Daily was down at booking, and answers 503 while it still is', async () => {
    const orgId = (await makeOrganization(t.ctx)).id;
    const { announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    fake.failNext(500);
    const r = (await book(t, player.headers, announcement, utcAt(3, 10))).json().reservation;
    const [row] = await t.ctx.database.db.select().from(reservations).where(eq(reservations.id, r.id));
    expect(row!.roomUrl).toBeNull();
    await startsIn(t, r.id, 5 * MIN);
    fake.failNext(503);
    const down = await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}/video-token`, headers: player.headers });
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('PROVIDER_UNAVAILABLE');
    const up = await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}/video-token`, headers: player.headers });
    expect(up.statusCode).toBe(200);
    expect(fake.rooms.has(row!.roomName)).toBe(true);
  });
});
