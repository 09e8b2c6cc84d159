import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/core-tables.js';
import { createTestApp, healthAsAdmin, makeOrganization, makeUser, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '10' });
});
afterAll(() => t.close());

it('answers 429 RATE_LIMITED after 10 failed logins a minute from one address', async () => {
  const org = await makeOrganization(t.ctx);
  const { user } = await makeUser(t.ctx, { organizationId: org.id });
  const attempt = (ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: ip, payload: { email: user.email, password: 'wrong password' } });
  for (let i = 0; i < 10; i++) expect((await attempt('10.0.0.7')).statusCode).toBe(401);
  const blocked = await attempt('10.0.0.7');
  expect(blocked.statusCode).toBe(429);
  expect(blocked.json()).toMatchObject({ code: 'RATE_LIMITED', error: 'Too Many Requests' });
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  // Another address is not affected.
  expect((await attempt('10.0.0.8')).statusCode).toBe(401);
});

it.skipIf(!process.env.REDIS_URL)('shares the limit across instances through Redis', async () => {
  const prefix = `test:shared-${Date.now()}:`;
  const a = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '4', REDIS_KEY_PREFIX: prefix });
  const b = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '4', REDIS_KEY_PREFIX: prefix });
  try {
    const attempt = (app: TestApp) =>
      app.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: '10.0.0.9', payload: { email: 'x@example.test', password: 'whatever1' } });
    expect((await attempt(a)).statusCode).toBe(401);
    expect((await attempt(b)).statusCode).toBe(401);
    expect((await attempt(a)).statusCode).toBe(401);
    expect((await attempt(b)).statusCode).toBe(401);
    // The fifth attempt is refused whichever instance receives it.
    expect((await attempt(a)).statusCode).toBe(429);
    expect((await attempt(b)).statusCode).toBe(429);
  } finally {
    await a.close();
    await b.close();
  }
});

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  it('counts the address the proxy saw: a forged X-Forwarded-For changes nothing', async () => {
    const proxied = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '3', TRUST_PROXY: '10.0.0.1' });
    try {
      const viaProxy = (forwardedFor: string, password = 'wrong password') =>
        proxied.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': forwardedFor }, payload: { email: 'x@example.test', password } });
      // The client writes whatever it likes first; the proxy appends the address it saw.
      for (const forged of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) expect((await viaProxy(`${forged}, 203.0.113.5`)).statusCode).toBe(401);
      const blocked = await viaProxy('4.4.4.4, 203.0.113.5');
      expect(blocked.statusCode).toBe(429);
      expect((await viaProxy('203.0.113.5')).statusCode).toBe(429);
      // Another client behind the same proxy has its own count.
      expect((await viaProxy('203.0.113.5, 203.0.113.6')).statusCode).toBe(401);

      // A client that reaches the server directly is counted under its own address, whatever it claims.
      const direct = (forwardedFor: string) =>
        proxied.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': forwardedFor }, payload: { email: 'x@example.test', password: 'wrong password' } });
      for (const forged of ['5.5.5.5', '6.6.6.6', '7.7.7.7']) expect((await direct(forged)).statusCode).toBe(401);
      expect((await direct('8.8.8.8')).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it('records the proxied address on the session, not the forged one', async () => {
    const proxied = await createTestApp({ TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    try {
      const org = await makeOrganization(proxied.ctx);
      const { user, password } = await makeUser(proxied.ctx, { organizationId: org.id });
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        remoteAddress: '10.1.2.3',
        headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
        payload: { email: user.email, password },
      });
      expect(res.statusCode).toBe(200);
      const [session] = await proxied.ctx.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
      expect(session?.ipAddress).toBe('203.0.113.9');
    } finally {
      await proxied.close();
    }
  });
});

describe('per account', () => {
  it('answers 429 after many failed sign-ins for one email from many addresses, even with the right password', async () => {
    const app = await createTestApp({ RATE_LIMIT_ACCOUNT_FAILURES: '3' });
    try {
      const org = await makeOrganization(app.ctx);
      const { user, password } = await makeUser(app.ctx, { organizationId: org.id });
      const other = await makeUser(app.ctx, { organizationId: org.id });
      const signIn = (email: string, pw: string, ip: string, url = '/api/auth/sign-in/email') =>
        app.app.inject({ method: 'POST', url, remoteAddress: ip, payload: { email, password: pw } });
      // A success counts nothing.
      expect((await signIn(user.email, password, '192.0.2.1')).statusCode).toBe(200);
      expect((await signIn(user.email, 'wrong password', '192.0.2.2')).statusCode).toBe(401);
      // The token endpoint shares the count; spelling the email differently does not escape it.
      expect((await signIn(user.email.toUpperCase(), 'wrong password', '192.0.2.3', '/api/auth/token')).statusCode).toBe(401);
      expect((await signIn(` ${user.email} `, 'wrong password', '192.0.2.4')).statusCode).toBe(401);
      const blocked = await signIn(user.email, password, '192.0.2.5');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await signIn(user.email, password, '192.0.2.6', '/api/auth/token')).statusCode).toBe(429);
      // Another account is not affected.
      expect((await signIn(other.user.email, other.password, '192.0.2.5')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('when Redis is down', () => {
  it('keeps limiting, per instance, and says so in /api/health', async () => {
    // Nothing listens on port 1: the connection never comes up.
    const app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '3', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const attempt = () =>
        app.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', remoteAddress: '10.0.0.20', payload: { email: 'x@example.test', password: 'wrong password' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      expect((await attempt()).statusCode).toBe(429);

      expect((await app.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'degraded' });
      const health = await healthAsAdmin(app);
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        status: 'degraded',
        redis: { inUse: true, ok: false },
        rateLimits: { store: 'memory', fallback: true },
        missing: expect.arrayContaining([expect.objectContaining({ component: 'redis', reason: 'unreachable' })]),
      });
    } finally {
      await app.close();
    }
  });
});
