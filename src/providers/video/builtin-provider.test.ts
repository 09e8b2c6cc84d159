import { describe, expect, it } from 'vitest';
import { createBuiltinVideoProvider } from './builtin-provider.js';
import { describeVideoContract } from './contract.js';
import { roomTokenKey, RoomTokenError, signRoomToken, verifyRoomToken } from './room-token.js';

const SECRET = 'contract-secret-0123456789abcdef0123456789';
const key = roomTokenKey(SECRET);
const provider = () => createBuiltinVideoProvider({ authSecret: SECRET, publicUrl: 'http://localhost:3000', iceServers: [{ urls: 'stun:stun.example.test:3478' }] });

describeVideoContract('builtin', {
  provider,
  inspectToken: async (token) => {
    const c = await verifyRoomToken(key, token);
    return { room: c.room, owner: c.role === 'owner', userName: c.userName, expSeconds: Math.floor(c.expiresAtMs / 1000) };
  },
});

describe('built-in room tokens', () => {
  const claims = { room: 'r1', reservationId: 'r-1', tokenVersion: 0, userId: 'u1', userName: 'A', role: 'owner' as const, maxParticipants: 2, screenshare: true, chat: true };

  it('carry the room properties (max 2, ejection time, screenshare, chat)', async () => {
    const p = provider();
    const room = await p.createRoom({ name: 'r1', expiresAtMs: Date.now() + 3_600_000, maxParticipants: 2, screenshare: true, chat: true, prejoin: true });
    const c = await verifyRoomToken(key, await p.mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'u1', userName: 'A', role: 'owner', expiresAtMs: Date.now() + 60_000 }));
    expect(c).toMatchObject({ room: 'r1', userId: 'u1', role: 'owner', maxParticipants: 2, screenshare: true, chat: true, ejectAtMs: Math.floor(room.expiresAtMs / 1000) * 1000 });
  });

  it('refuses a token signed with another secret, a tampered one, and an expired one', async () => {
    const token = await signRoomToken(key, { ...claims, expiresAtMs: Date.now() + 60_000, ejectAtMs: Date.now() + 120_000 });
    await expect(verifyRoomToken(roomTokenKey('another-secret-0123456789abcdef012345'), token)).rejects.toMatchObject({ reason: 'invalid' });
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(p!, 'base64url').toString().replace('"owner"', '"participant"');
    await expect(verifyRoomToken(key, `${h}.${Buffer.from(forged).toString('base64url')}.${s}`)).rejects.toBeInstanceOf(RoomTokenError);
    const old = await signRoomToken(key, { ...claims, expiresAtMs: Date.now() - 1000, ejectAtMs: Date.now() + 120_000 });
    await expect(verifyRoomToken(key, old)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('refuses a valid token once the room has passed its ejection time', async () => {
    const token = await signRoomToken(key, { ...claims, expiresAtMs: Date.now() + 60_000, ejectAtMs: Date.now() + 5_000 });
    await expect(verifyRoomToken(key, token, Date.now() + 6_000)).rejects.toMatchObject({ reason: 'expired' });
  });
});
