import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRoomSpec, type VideoProvider, type VideoRoom } from '../../src/providers/video/types.js';
import { SignalClient } from '../helpers/signal-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

async function listen(t: TestApp): Promise<string> {
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

const roomName = () => `ch-test-${randomBytes(5).toString('hex')}`;

async function tokens(provider: VideoProvider, room: VideoRoom) {
  const exp = Date.now() + 600_000;
  return {
    coach: await provider.mintToken({ room, userId: 'coach-1', userName: 'Camille', role: 'owner', expiresAtMs: exp }),
    player: await provider.mintToken({ room, userId: 'player-1', userName: 'Maxime', role: 'participant', expiresAtMs: exp }),
    intruder: await provider.mintToken({ room, userId: 'third-1', userName: 'Intrus', role: 'participant', expiresAtMs: exp }),
  };
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
    const tk = await tokens(provider, room);
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
    const tk = await tokens(provider, room);
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

  it('answers a plain HTTP request (no WebSocket upgrade) with our error body', async () => {
    // Found by the fuzz test: 404 with an empty body.
    const res = await t.app.inject({ method: 'GET', url: '/api/video/signal' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid upgrade: connect with a WebSocket (Upgrade: websocket).', details: { field: 'upgrade' } });
  });

  it('ejects everyone when the room expires', async () => {
    const provider = t.ctx.services.video;
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 1500));
    const tk = await tokens(provider, room);
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
    b = await createTestApp(shared);
    baseA = await listen(a);
    baseB = await listen(b);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('connects a coach on instance A with a player on instance B, and keeps the room at two people', async () => {
    const provider = a.ctx.services.video;
    const room = await provider.createRoom(sessionRoomSpec(roomName(), Date.now() + 3_600_000));
    const tk = await tokens(provider, room);
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
});
