import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { migratedMemoryDatabase } from '../../../tests/helpers/memory-db.js';
import { createAccessTokens } from './access-tokens.js';

let database: Database;
beforeAll(async () => {
  database = await migratedMemoryDatabase();
}, 60_000);
afterAll(() => database.close());

it('checks expiry on every use, also for a token verified before (cached)', async () => {
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const tokens = createAccessTokens(database, { secret: 'unit-secret-0123456789abcdef0123456789', ttlMs: 60_000, now: () => clock });
  const { accessToken } = await tokens.mint('no-such-session', 'user-1');
  // Signature and claims are fine; the session does not exist: revoked.
  await expect(tokens.verify(accessToken)).rejects.toThrow(/revoked/);
  await expect(tokens.verify(accessToken)).rejects.toThrow(/revoked/);
  clock += 61_000;
  await expect(tokens.verify(accessToken)).rejects.toThrow(/expired/);
});

it('refuses a token whose signature does not match, even one differing by one character', async () => {
  const tokens = createAccessTokens(database, { secret: 'unit-secret-0123456789abcdef0123456789', ttlMs: 60_000 });
  const { accessToken } = await tokens.mint('s', 'u');
  await expect(tokens.verify(accessToken)).rejects.toThrow(/revoked/);
  const forged = accessToken.slice(0, -2) + (accessToken.endsWith('AA') ? 'BB' : 'AA');
  await expect(tokens.verify(forged)).rejects.toThrow(/invalid/);
});
