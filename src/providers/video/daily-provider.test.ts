import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDaily, type FakeDaily } from '../../../tests/fakes/daily-server.js';
import { describeVideoContract } from './contract.js';
import { createDailyVideoProvider } from './daily-provider.js';
import { sessionRoomSpec } from './types.js';

let fake: FakeDaily;
beforeAll(async () => {
  fake = await startFakeDaily();
});
afterAll(() => fake.close());

const provider = () => createDailyVideoProvider({ apiKey: fake.apiKey, apiUrl: fake.url });

describeVideoContract('daily (loopback fake)', {
  provider,
  inspectToken: async (token) => {
    const props = fake.tokens.get(token);
    if (!props) throw new Error('unknown token');
    return { room: String(props.room_name), owner: props.is_owner === true, userName: String(props.user_name), expSeconds: Number(props.exp) };
  },
  failing: () => createDailyVideoProvider({ apiKey: 'wrong-key', apiUrl: fake.url }),
});

describe('Daily adapter request bodies', () => {
  it('creates a private 2-person room with screenshare, chat, pre-join and ejection at expiry', async () => {
    const exp = Date.now() + 5_400_000;
    const room = await provider().createRoom(sessionRoomSpec('ch-bodies-1', exp));
    const req = fake.requests.find((r) => r.method === 'POST' && r.path === '/rooms' && (r.body as { name: string }).name === 'ch-bodies-1')!;
    expect(req.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req.body).toEqual({
      name: 'ch-bodies-1',
      privacy: 'private',
      properties: { exp: Math.floor(exp / 1000), eject_at_room_exp: true, max_participants: 2, enable_screenshare: true, enable_chat: true, enable_prejoin_ui: true },
    });
    expect(room.url).toBe(fake.rooms.get('ch-bodies-1')!.url);
  });

  it('mints meeting tokens with room_name, is_owner, user_name and exp in seconds', async () => {
    const room = await provider().createRoom(sessionRoomSpec('ch-bodies-2', Date.now() + 3_600_000));
    const exp = Date.now() + 600_000;
    await provider().mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'coach-1', userName: 'Camille', role: 'owner', expiresAtMs: exp });
    await provider().mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'player-1', userName: 'Maxime', role: 'participant', expiresAtMs: exp });
    const bodies = fake.requests.filter((r) => r.path === '/meeting-tokens').slice(-2).map((r) => r.body);
    expect(bodies).toEqual([
      { properties: { room_name: 'ch-bodies-2', is_owner: true, user_name: 'Camille', user_id: 'coach-1', exp: Math.floor(exp / 1000) } },
      { properties: { room_name: 'ch-bodies-2', is_owner: false, user_name: 'Maxime', user_id: 'player-1', exp: Math.floor(exp / 1000) } },
    ]);
  });

  it('maps upstream 5xx and unreachable servers to PROVIDER_UNAVAILABLE without leaking the key', async () => {
    fake.failNext(500);
    const err = (await provider().createRoom(sessionRoomSpec('ch-fail', Date.now() + 3_600_000)).catch((e: unknown) => e)) as Error & { code: string; details: unknown };
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(JSON.stringify(err.details)).not.toContain(fake.apiKey);
    const down = createDailyVideoProvider({ apiKey: 'k', apiUrl: 'http://127.0.0.1:1/v1', timeoutMs: 2000 });
    await expect(down.createRoom(sessionRoomSpec('ch-down', Date.now() + 3_600_000))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'daily', kind: 'connection' } });
  });
});
