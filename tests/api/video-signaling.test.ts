import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '../../src/features/bookings/tables.js';
import { sessionRoomSpec, type VideoProvider, type VideoRoom } from '../../src/providers/video/types.js';
import { book, coachWithOffer, HOUR, slot, utcAt } from '../helpers/bookings.js';
import { SignalClient } from '../helpers/signal-client.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

const MIN = 60_000;

async function listen(t: TestApp): Promise<string> {
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

const roomName = () => `ch-test-${randomBytes(5).toString('hex')}`;

/** A booked session (tokens name their reservation: the hub checks it is still booked, at that version). */
async function bookedSession(t: TestApp) {
  const orgId = (await makeOrganization(t.ctx)).id;
  const offer = await coachWithOffer(t, orgId, undefined, { name: 'Camille Coach' });
  const player = await signedInUser(t, { organizationId: orgId, name: 'Maxime Joueur' });
  const reservation = (await book(t, player.headers, offer.announcement, utcAt(2, 10))).json().reservation as { id: string };
  // It starts in 10 minutes: the room is open.
  const start = Date.now() + 10 * MIN;
  await t.ctx.database.db
    .update(reservations)
    .set({ startAt: new Date(start), endAt: new Date(start + HOUR), roomExpiresAt: new Date(start + HOUR + 30 * MIN) })
    .where(eq(reservations.id, reservation.id));
  return { coach: offer.coach, player, reservationId: reservation.id };
}

/** Tokens minted directly for a room of a booked session (the intruder is a third person the API would never serve). */
async function tokens(t: TestApp, room: VideoRoom, reservationId?: string) {
  const provider: VideoProvider = t.ctx.services.video;
  reservationId ??= (await bookedSession(t)).reservationId;
  const exp = Date.now() + 600_000;
  const reservation = { id: reservationId, tokenVersion: 0 };
  return {
    coach: await provider.mintToken({ room, reservation, userId: 'coach-1', userName: 'Camille', role: 'owner', expiresAtMs: exp }),
    player: await provider.mintToken({ room, reservation, userId: 'player-1', userName: 'Maxime', role: 'participant', expiresAtMs: exp }),
    intruder: await provider.mintToken({ room, reservation, userId: 'third-1', userName: 'Intrus', role: 'participant', expiresAtMs: exp }),
  };
}

/** A fresh token of the session through the API, as the web app gets it. */
async function apiToken(t: TestApp, headers: Record<string, string>, reservationId: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/video-token`, headers });
  if (res.statusCode !== 200) throw new Error(`video-token: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

describe('built-in signaling on one instance', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    base = await listen(t);
  });
  afterAll(() => t.close());

  it('joins coach and player, relays signals and chat, refuses a third person', async () => {
    const provider = t.ctx.services.video;
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 3_600_000));
    const tk = await tokens(t, room);
    const coach = await SignalClient.connect(base, tk.coach);
    expect(await coach.next('joined')).toMatchObject({ you: { userId: 'coach-1', role: 'owner', name: 'Camille' }, peers: [], chat: true, screenshare: true });
    const player = await SignalClient.connect(base, tk.player);
    expect((await player.next('joined')).peers).toEqual([{ userId: 'coach-1', name: 'Camille', role: 'owner' }]);
    expect(await coach.next('peer-joined')).toMatchObject({ peer: { userId: 'player-1', role: 'participant' } });

    player.send({ type: 'signal', data: { description: { type: 'offer', sdp: 'v=0' } } });
    expect(await coach.next('signal')).toEqual({ type: 'signal', from: 'player-1', data: { description: { type: 'offer', sdp: 'v=0' } } });
    coach.send({ type: 'chat', text: 'Bonjour Maxime !' });
    expect(await player.next('chat')).toMatchObject({ from: 'coach-1', name: 'Camille', text: 'Bonjour Maxime !' });
    expect(await coach.next('chat')).toMatchObject({ text: 'Bonjour Maxime !' });
    expect(player.messages.filter((m) => m.type === 'signal')).toEqual([]); // signals never echo

    const intruder = await SignalClient.connect(base, tk.intruder);
    expect(await intruder.next('error')).toMatchObject({ code: 'ROOM_FULL' });
    expect((await intruder.closedWith()).code).toBe(4403);

    player.close();
    expect(await coach.next('peer-left')).toEqual({ type: 'peer-left', userId: 'player-1' });
    coach.close();
  });

  it('replaces an older connection of the same user (reconnection) and refuses bad tokens and frames', async () => {
    const provider = t.ctx.services.video;
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 3_600_000));
    const tk = await tokens(t, room);
    const first = await SignalClient.connect(base, tk.player);
    await first.next('joined');
    const second = await SignalClient.connect(base, tk.player);
    await second.next('joined');
    expect(await first.next('ejected')).toEqual({ type: 'ejected', reason: 'replaced' });
    expect((await first.closedWith()).code).toBe(4409);
    // The place is still held by the new connection: the coach joins, a third user cannot.
    const coach = await SignalClient.connect(base, tk.coach);
    expect((await coach.next('joined')).peers).toHaveLength(1);
    const intruder = await SignalClient.connect(base, tk.intruder);
    expect((await intruder.closedWith()).code).toBe(4403);

    const forged = await SignalClient.connect(base, tk.coach.slice(0, -4) + 'AAAA');
    expect(await forged.next('error')).toMatchObject({ code: 'BAD_TOKEN' });
    expect((await forged.closedWith()).code).toBe(4401);
    const rude = await SignalClient.connect(base);
    rude.send({ type: 'signal', data: {} });
    expect((await rude.closedWith()).code).toBe(4400);
    const garbage = await SignalClient.connect(base);
    garbage.ws.send('not json');
    expect((await garbage.closedWith()).code).toBe(4400);
    second.close();
    coach.close();
  });

  it('shows the name from the room token (the account’s), never the one a client sends', async () => {
    const { coach, player, reservationId } = await bookedSession(t);
    const c = await SignalClient.connect(base);
    c.send({ type: 'join', token: await apiToken(t, coach.headers, reservationId), displayName: 'Support Coach Hub' });
    expect((await c.next('joined')).you).toMatchObject({ userId: coach.user.id, name: 'Camille Coach', role: 'owner' });
    const p = await SignalClient.connect(base);
    p.send({ type: 'join', token: await apiToken(t, player.headers, reservationId), displayName: 'Administrateur' });
    const joined = await p.next('joined');
    expect(joined.you).toMatchObject({ userId: player.user.id, name: 'Maxime Joueur' });
    expect(joined.peers).toEqual([{ userId: coach.user.id, name: 'Camille Coach', role: 'owner' }]);
    expect((await c.next('peer-joined')).peer).toEqual({ userId: player.user.id, name: 'Maxime Joueur', role: 'participant' });
    p.send({ type: 'chat', text: 'Bonjour' });
    expect(await c.next('chat')).toMatchObject({ from: player.user.id, name: 'Maxime Joueur', text: 'Bonjour' });
    c.close();
    p.close();
  });

  it('a cancellation ejects the connected peers and refuses the tokens minted before it', async () => {
    const { coach, player, reservationId } = await bookedSession(t);
    const coachToken = await apiToken(t, coach.headers, reservationId);
    const playerToken = await apiToken(t, player.headers, reservationId);
    const c = await SignalClient.connect(base, coachToken);
    await c.next('joined');
    const p = await SignalClient.connect(base, playerToken);
    await p.next('joined');

    const cancel = await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/cancel`, headers: player.headers });
    expect(cancel.statusCode).toBe(200);
    for (const peer of [c, p]) {
      expect(await peer.next('ejected')).toEqual({ type: 'ejected', reason: 'cancelled' });
      expect((await peer.closedWith()).code).toBe(4410);
    }
    // The tokens are still signed and unexpired: the hub refuses them all the same.
    for (const token of [coachToken, playerToken]) {
      const again = await SignalClient.connect(base, token);
      expect(await again.next('error')).toMatchObject({ code: 'TOKEN_REVOKED' });
      expect((await again.closedWith()).code).toBe(4410);
    }
    // And no new one is given.
    expect((await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/video-token`, headers: coach.headers })).json().details).toMatchObject({ reason: 'cancelled' });
  });

  it('a reschedule ejects the peers of the old room and refuses its tokens; a new token joins the new room', async () => {
    const { coach, player, reservationId } = await bookedSession(t);
    const oldCoach = await apiToken(t, coach.headers, reservationId);
    const oldPlayer = await apiToken(t, player.headers, reservationId);
    const c = await SignalClient.connect(base, oldCoach);
    await c.next('joined');

    const current = (await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}`, headers: coach.headers })).json().reservation;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/reservations/${reservationId}/reschedule`,
      headers: player.headers,
      payload: slot(new Date(Date.parse(current.startDate) + 2 * HOUR)),
    });
    expect(moved.statusCode).toBe(200);
    expect(await c.next('ejected')).toEqual({ type: 'ejected', reason: 'rescheduled' });
    expect((await c.closedWith()).code).toBe(4410);
    for (const token of [oldCoach, oldPlayer]) {
      const again = await SignalClient.connect(base, token);
      expect(await again.next('error')).toMatchObject({ code: 'TOKEN_REVOKED' });
      expect((await again.closedWith()).code).toBe(4410);
    }
    // The moved session, once its room is open, takes fresh tokens.
    const start = Date.now() + 10 * MIN;
    await t.ctx.database.db
      .update(reservations)
      .set({ startAt: new Date(start), endAt: new Date(start + HOUR), roomExpiresAt: new Date(start + HOUR + 30 * MIN) })
      .where(eq(reservations.id, reservationId));
    const fresh = await SignalClient.connect(base, await apiToken(t, coach.headers, reservationId));
    expect((await fresh.next('joined')).you).toMatchObject({ userId: coach.user.id });
    fresh.close();
  });

  it('answers a plain HTTP request (no WebSocket upgrade) with our error body', async () => {
    // Found by the fuzz test: 404 with an empty body.
    const res = await t.app.inject({ method: 'GET', url: '/api/video/signal' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid upgrade: connect with a WebSocket (Upgrade: websocket).', details: { field: 'upgrade' } });
  });

  it('ejects everyone when the room expires', async () => {
    const provider = t.ctx.services.video;
    // Booked first: the room below lives 1.5 s.
    const { reservationId } = await bookedSession(t);
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 1500));
    const tk = await tokens(t, room, reservationId);
    const coach = await SignalClient.connect(base, tk.coach);
    const player = await SignalClient.connect(base, tk.player);
    await coach.next('joined');
    await player.next('joined');
    expect(await coach.next('ejected', 4000)).toEqual({ type: 'ejected', reason: 'expired' });
    expect(await player.next('ejected', 4000)).toEqual({ type: 'ejected', reason: 'expired' });
    expect((await coach.closedWith()).code).toBe(4408);
    // Rejoining after expiry is refused.
    const late = await SignalClient.connect(base, tk.coach);
    expect(await late.next('error')).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect((await late.closedWith()).code).toBe(4408);
  });
});

describe.skipIf(!process.env.REDIS_URL)('built-in signaling across two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  let baseB: string;
  beforeAll(async () => {
    const shared = { REDIS_KEY_PREFIX: `test:signal:${randomBytes(6).toString('hex')}:` };
    a = await createTestApp(shared);
    // Two instances of one deployment: one database, one Redis.
    b = await createTestApp(shared, { shareDatabaseWith: a });
    baseA = await listen(a);
    baseB = await listen(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('connects a coach on instance A with a player on instance B, and keeps the room at two people', async () => {
    const provider = a.ctx.services.video;
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 3_600_000));
    const tk = await tokens(a, room);
    const coach = await SignalClient.connect(baseA, tk.coach);
    await coach.next('joined');
    const player = await SignalClient.connect(baseB, tk.player);
    expect((await player.next('joined')).peers).toEqual([{ userId: 'coach-1', name: 'Camille', role: 'owner' }]);
    expect(await coach.next('peer-joined')).toMatchObject({ peer: { userId: 'player-1' } });

    player.send({ type: 'signal', data: { candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host' } } });
    expect(await coach.next('signal')).toMatchObject({ from: 'player-1' });
    coach.send({ type: 'chat', text: 'hello across instances' });
    expect(await player.next('chat')).toMatchObject({ text: 'hello across instances' });

    const intruderOnB = await SignalClient.connect(baseB, tk.intruder);
    expect((await intruderOnB.closedWith()).code).toBe(4403);

    // The player reconnects through instance A: the old socket on B is replaced.
    const again = await SignalClient.connect(baseA, tk.player);
    await again.next('joined');
    expect((await player.closedWith()).code).toBe(4409);
    again.close();
    expect(await coach.next('peer-left')).toMatchObject({ userId: 'player-1' });
    coach.close();
  });

  it('a cancellation on instance A ejects a peer connected to instance B, and B refuses the old token', async () => {
    const { coach, player, reservationId } = await bookedSession(a);
    const playerToken = await apiToken(a, player.headers, reservationId);
    const c = await SignalClient.connect(baseA, await apiToken(a, coach.headers, reservationId));
    await c.next('joined');
    const p = await SignalClient.connect(baseB, playerToken);
    await p.next('joined');
    expect((await a.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/cancel`, headers: coach.headers })).statusCode).toBe(200);
    expect(await p.next('ejected')).toEqual({ type: 'ejected', reason: 'cancelled' });
    expect((await p.closedWith()).code).toBe(4410);
    expect(await c.next('ejected')).toEqual({ type: 'ejected', reason: 'cancelled' });
    const again = await SignalClient.connect(baseB, playerToken);
    expect(await again.next('error')).toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});
