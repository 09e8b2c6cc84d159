import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, makeOrganization, makeUser, type TestApp } from '../helpers/test-app.js';

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
