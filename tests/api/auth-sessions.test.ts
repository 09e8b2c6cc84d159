import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens, sessions } from '../../src/db/core-tables.js';
import { createTestApp, makeOrganization, makeUser, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * Sessions and tokens: refresh tokens rotate and a replayed one revokes its family (OAuth 2.0
 * Security BCP), a new password ends the other sessions, session tokens never reach the page's
 * JavaScript, and sign-out follows the CSRF policy of every cookie write.
 */
let t: TestApp;
let orgId: string;
const ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await makeOrganization(t.ctx)).id;
});
afterAll(() => t.close());

const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/auth/token/refresh', payload: { refreshToken } });
const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });
const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

async function cookieSession(email: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password } });
  expect(res.statusCode).toBe(200);
  const raw = ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);
  return raw.find((c) => c.startsWith('coachhub.session_token='))!.split(';')[0]!;
}

describe('refresh tokens rotate', () => {
  it('each refresh returns a new refresh token; the old one, presented again, revokes the whole family', async () => {
    const u = await signedInUser(t, { organizationId: orgId });
    const first = await refresh(u.refreshToken);
    expect(first.statusCode).toBe(200);
    const second = first.json() as { accessToken: string; refreshToken: string };
    expect(second.refreshToken).not.toBe(u.refreshToken);
    expect((await me(bearer(second.accessToken))).statusCode).toBe(200);

    const third = await refresh(second.refreshToken);
    expect(third.statusCode).toBe(200);
    const latest = third.json() as { accessToken: string; refreshToken: string };

    // A stolen copy of an older token is replayed: the family (every token, every access token) dies.
    const replay = await refresh(u.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(replay.json().message).toMatch(/already used/);
    expect((await refresh(latest.refreshToken)).statusCode).toBe(401);
    for (const token of [u.accessToken, second.accessToken, latest.accessToken]) expect((await me(bearer(token))).statusCode).toBe(401);

    // Another sign-in of the same user is another family: untouched.
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: u.user.email, password: u.password } });
    expect((await refresh(other.json().refreshToken)).statusCode).toBe(200);
  });

  it('stores refresh tokens hashed, never the session token, and refuses unknown ones', async () => {
    const u = await signedInUser(t, { organizationId: orgId });
    const rows = await t.ctx.database.db.select().from(refreshTokens);
    expect(JSON.stringify(rows)).not.toContain(u.refreshToken);
    const [session] = await t.ctx.database.db.select().from(sessions).where(eq(sessions.userId, u.user.id));
    expect(u.refreshToken).not.toBe(session!.token);
    expect((await refresh(session!.token)).statusCode).toBe(401);
    expect((await refresh('not-a-token')).statusCode).toBe(401);
  });

  it('revoking a refresh token, current or spent, ends its family', async () => {
    const u = await signedInUser(t, { organizationId: orgId });
    const next = (await refresh(u.refreshToken)).json() as { accessToken: string; refreshToken: string };
    const revoke = await t.app.inject({ method: 'POST', url: '/api/auth/token/revoke', payload: { refreshToken: u.refreshToken } });
    expect(revoke.statusCode).toBe(204);
    expect((await me(bearer(next.accessToken))).statusCode).toBe(401);
    expect((await refresh(next.refreshToken)).statusCode).toBe(401);
  });

  it.runIf(testDbKind() === 'postgres')('two refreshes racing with one token: one wins, the other is a replay that revokes the family', async () => {
    for (let round = 0; round < 5; round++) {
      const u = await signedInUser(t, { organizationId: orgId });
      const answers = await Promise.all([refresh(u.refreshToken), refresh(u.refreshToken), refresh(u.refreshToken)]);
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses).toEqual([200, 401, 401]);
      const winner = answers.find((a) => a.statusCode === 200)!.json() as { accessToken: string; refreshToken: string };
      expect((await me(bearer(winner.accessToken))).statusCode).toBe(401);
      expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
      expect(await t.ctx.database.db.select().from(sessions).where(eq(sessions.userId, u.user.id))).toEqual([]);
    }
  });
});

describe('a new password ends the other sessions', () => {
  it('change-password keeps the session that changed it and ends every other one (cookies and API tokens)', async () => {
    const { user, password } = await makeUser(t.ctx, { organizationId: orgId });
    const mine = await cookieSession(user.email, password);
    const otherBrowser = await cookieSession(user.email, password);
    const api = (await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: user.email, password } })).json() as { accessToken: string; refreshToken: string };
    expect((await me(bearer(api.accessToken))).statusCode).toBe(200);

    // The client even asks to keep them: the server ends them anyway.
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: { cookie: mine, origin: ORIGIN },
      payload: { currentPassword: password, newPassword: 'a brand new password', revokeOtherSessions: false },
    });
    expect(change.statusCode).toBe(200);
    expect(change.json().token).toBeUndefined();
    const raw = ([] as string[]).concat((change.headers['set-cookie'] as string | string[] | undefined) ?? []);
    const renewed = raw.find((c) => c.startsWith('coachhub.session_token='))!.split(';')[0]!;
    expect((await me({ cookie: renewed })).statusCode).toBe(200);

    expect((await me({ cookie: otherBrowser })).statusCode).toBe(401);
    expect((await me(bearer(api.accessToken))).statusCode).toBe(401);
    expect((await refresh(api.refreshToken)).statusCode).toBe(401);
  });
});

describe('session tokens never reach the page', () => {
  it('list-sessions and get-session answer without any token', async () => {
    const { user, password } = await makeUser(t.ctx, { organizationId: orgId });
    const cookie = await cookieSession(user.email, password);
    await cookieSession(user.email, password);
    const stored = (await t.ctx.database.db.select({ token: sessions.token }).from(sessions).where(eq(sessions.userId, user.id))).map((s) => s.token);
    expect(stored).toHaveLength(2);

    const list = await t.app.inject({ method: 'GET', url: '/api/auth/list-sessions', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(2);
    expect(list.json()[0]).toMatchObject({ id: expect.any(String), userId: user.id, expiresAt: expect.any(String) });
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.id).toBe(user.id);
    for (const res of [list, session]) {
      expect(res.body).not.toMatch(/"token"/);
      for (const token of stored) expect(res.body).not.toContain(token);
    }
  });
});

describe('sign-out follows the CSRF policy of cookie writes', () => {
  it('without Origin (not a browser): a real sign-out', async () => {
    const { user, password } = await makeUser(t.ctx, { organizationId: orgId });
    const cookie = await cookieSession(user.email, password);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ success: true });
    expect(String(out.headers['set-cookie'])).toMatch(/coachhub\.session_token=;/);
    expect((await me({ cookie })).statusCode).toBe(401);
  });

  it('from a foreign Origin: 403, and the session lives on', async () => {
    const { user, password } = await makeUser(t.ctx, { organizationId: orgId });
    const cookie = await cookieSession(user.email, password);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, origin: 'https://evil.example' } });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await me({ cookie })).statusCode).toBe(200);
    const ours = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, origin: ORIGIN } });
    expect(ours.json()).toEqual({ success: true });
    expect((await me({ cookie })).statusCode).toBe(401);
  });

  it('without any session: 200, nothing to end', async () => {
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out' });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ success: true });
  });
});
