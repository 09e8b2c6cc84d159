import { hkdfSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { hashInstructions, mintVoiceToken, verifyVoiceToken } from './voice-token.js';

const SECRET = 'voice-token-test-secret-0123456789abcdef';
const claims = {
  userId: 'user_1',
  organizationId: 'org_1',
  model: 'gpt-realtime',
  voice: 'sage',
  instructionsHash: hashInstructions('Be kind.'),
  turnDetection: { type: 'server_vad' as const, threshold: 0.5 },
  kind: 'interview' as const,
};

describe('voice tokens', () => {
  it('round-trips the claims of a valid token', async () => {
    const { token, expiresAtMs, tokenId } = await mintVoiceToken(SECRET, claims, { ttlMs: 60_000 });
    const verified = await verifyVoiceToken(SECRET, token);
    expect(verified).toEqual({ ...claims, tokenId, expiresAtMs });
    expect(expiresAtMs - Date.now()).toBeGreaterThan(58_000);
  });

  it('carries the conversation kind; a token without one (minted before) is a coach session, an unknown one too', async () => {
    const sign = (extra: object) =>
      new SignJWT({ org: 'org_1', model: 'm', voice: 'alloy', ih: null, td: { type: 'server_vad' }, ...extra })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('coach-hub')
        .setAudience('coach-hub-realtime')
        .setSubject('user_1')
        .setJti('t1')
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(new Uint8Array(hkdfSync('sha256', SECRET, 'coach-hub', 'voice-session-token-v1', 32)));
    expect((await verifyVoiceToken(SECRET, await sign({}))).kind).toBe('coach');
    expect((await verifyVoiceToken(SECRET, await sign({ kind: 'nonsense' }))).kind).toBe('coach');
    expect((await verifyVoiceToken(SECRET, await sign({ kind: 'kiosk' }))).kind).toBe('kiosk');
  });

  it('carries organization API keys without a user', async () => {
    const { token } = await mintVoiceToken(SECRET, { ...claims, userId: null, apiKeyId: 'key_1' }, { ttlMs: 60_000 });
    expect(await verifyVoiceToken(SECRET, token)).toMatchObject({ userId: null, apiKeyId: 'key_1', organizationId: 'org_1' });
  });

  it('rejects an expired token', async () => {
    const { token } = await mintVoiceToken(SECRET, claims, { ttlMs: 60_000, nowMs: Date.now() - 120_000 });
    await expect(verifyVoiceToken(SECRET, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'expired' } });
    // …which was valid within its window.
    await expect(verifyVoiceToken(SECRET, token, { nowMs: Date.now() - 90_000 })).resolves.toMatchObject({ voice: 'sage' });
  });

  it('rejects a tampered token and one signed with another secret', async () => {
    const { token } = await mintVoiceToken(SECRET, claims, { ttlMs: 60_000 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), org: 'org_2' })).toString('base64url');
    await expect(verifyVoiceToken(SECRET, `${header}.${forged}.${signature}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifyVoiceToken(`${SECRET}-other`, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('rejects a token for another audience, even with the same key (e.g. an API access token)', async () => {
    const key = new Uint8Array(hkdfSync('sha256', SECRET, 'coach-hub', 'voice-session-token-v1', 32));
    const sign = (audience: string) =>
      new SignJWT({ org: 'org_1', model: 'gpt-realtime', voice: 'sage' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('coach-hub')
        .setAudience(audience)
        .setSubject('user_1')
        .setJti('j1')
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(key);
    await expect(verifyVoiceToken(SECRET, await sign('coach-hub-api'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'invalid aud' } });
    await expect(verifyVoiceToken(SECRET, await sign('coach-hub-realtime'))).resolves.toMatchObject({ userId: 'user_1' });
  });

  it('uses a key distinct from the access-token key', async () => {
    const accessKey = new Uint8Array(hkdfSync('sha256', SECRET, 'coach-hub', 'access-token-v1', 32));
    const token = await new SignJWT({ org: 'org_1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('coach-hub').setAudience('coach-hub-realtime').setSubject('u').setJti('j').setExpirationTime('1m').sign(accessKey);
    await expect(verifyVoiceToken(SECRET, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
