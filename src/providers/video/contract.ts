/**
 * The contract every video provider passes (run from each adapter's test file): idempotent
 * room creation with the session properties, per-role tokens that never outlive the room,
 * refusal to mint for an expired room, and typed failures.
 */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { sessionRoomSpec, type VideoProvider } from './types.js';

export interface VideoContractHarness {
  provider(): VideoProvider;
  /** What the provider recorded about a token (decoded claims, or the vendor's view of it). */
  inspectToken(token: string): Promise<{ room: string; owner: boolean; userName: string; expSeconds: number }>;
  /** A provider whose upstream fails; or why nothing can fail. */
  failing?: () => VideoProvider;
}

let counter = 0;
const uniqueName = () => `contract-${Date.now().toString(36)}-${counter++}`;

export function describeVideoContract(name: string, harness: VideoContractHarness): void {
  describe(`VideoProvider contract: ${name}`, () => {
    it('creates a room once and returns the same room when asked again', async () => {
      const p = harness.provider();
      const spec = sessionRoomSpec(uniqueName(), Date.now() + 3_600_000);
      const a = await p.createRoom(spec);
      const b = await p.createRoom(spec);
      expect(a.name).toBe(spec.name);
      expect(b).toEqual(a);
      expect(a.provider).toBe(p.name);
      expect(a.expiresAtMs).toBe(spec.expiresAtMs);
      expect(a.url).toMatch(/^https?:\/\//);
    });

    it('mints an owner token for the coach and a participant token for the player', async () => {
      const p = harness.provider();
      const room = await p.createRoom(sessionRoomSpec(uniqueName(), Date.now() + 3_600_000));
      const exp = Date.now() + 600_000;
      const coach = await p.mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'u-coach', userName: 'Camille', role: 'owner', expiresAtMs: exp });
      const player = await p.mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'u-player', userName: 'Maxime', role: 'participant', expiresAtMs: exp });
      expect(coach).not.toBe(player);
      expect(await harness.inspectToken(coach)).toEqual({ room: room.name, owner: true, userName: 'Camille', expSeconds: Math.floor(exp / 1000) });
      expect(await harness.inspectToken(player)).toMatchObject({ owner: false, userName: 'Maxime' });
    });

    it('never lets a token outlive its room, and refuses an expired room', async () => {
      const p = harness.provider();
      const roomExp = Date.now() + 120_000;
      const room = await p.createRoom(sessionRoomSpec(uniqueName(), roomExp));
      const token = await p.mintToken({ room, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'u', userName: 'U', role: 'participant', expiresAtMs: roomExp + 3_600_000 });
      expect((await harness.inspectToken(token)).expSeconds).toBe(Math.floor(roomExp / 1000));
      const expired = { ...room, expiresAtMs: Date.now() - 1000 };
      await expect(p.mintToken({ room: expired, reservation: { id: 'r-1', tokenVersion: 0 }, userId: 'u', userName: 'U', role: 'participant', expiresAtMs: Date.now() + 60_000 })).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('describes itself for /api/health without secrets', () => {
      const text = JSON.stringify(harness.provider().describe());
      expect(text).toContain(harness.provider().name);
      expect(text).not.toMatch(/key|secret/i);
    });

    if (harness.failing) {
      const failing = harness.failing;
      it('fails with PROVIDER_UNAVAILABLE (503) when the upstream fails', async () => {
        const err = await failing().createRoom(sessionRoomSpec(uniqueName(), Date.now() + 3_600_000)).catch((e: unknown) => e);
        expect(isAppError(err) && err.code).toBe('PROVIDER_UNAVAILABLE');
      });
    }
  });
}
