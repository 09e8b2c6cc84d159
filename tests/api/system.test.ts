import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, healthAsAdmin, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/** The sources of a CSP's connect-src directive. */
const connectSrc = (csp: string) => csp.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'connect-src')!.slice(1);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'https://lms.example,http://localhost:3000' });
});
afterAll(() => t.close());

describe('health, config and API documentation', () => {
  it('answers anyone with liveness only, and an admin with every component', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(anonymous.statusCode).toBe(200);
    expect(Object.keys(anonymous.json())).toEqual(['status']);
    expect(anonymous.json().status).toMatch(/^(ok|degraded)$/);
    const org = await makeOrganization(t.ctx);
    for (const role of ['member', 'coach'] as const) {
      const user = await signedInUser(t, { organizationId: org.id, role });
      expect((await t.app.inject({ method: 'GET', url: '/api/health', headers: user.headers })).json()).toEqual(anonymous.json());
    }
    // A bad credential is refused, not treated as anonymous.
    expect((await t.app.inject({ method: 'GET', url: '/api/health', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  });

  it('reports version, database kind and Redis to admins', async () => {
    const res = await healthAsAdmin(t);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: expect.stringMatching(/ok|degraded/), version: t.ctx.config.version, database: { ok: true } });
    expect(body.database.kind).toBe(testDbKind() === 'postgres' ? 'postgresql' : 'embedded');
    expect(body.redis).toEqual(process.env.REDIS_URL ? { inUse: true, ok: true } : { inUse: false, ok: null });
    expect(body.rateLimits).toEqual({ store: process.env.REDIS_URL ? 'redis' : 'memory', fallback: false });
    expect(Array.isArray(body.missing)).toBe(true);
    // Zero config: the offline engine answers, and says so.
    expect(body.providers.ai).toMatchObject({ provider: 'offline', offline: true });
  });

  it('exposes only public settings to the browser', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/config' });
    expect(res.json()).toEqual({
      version: t.ctx.config.version,
      signupEnabled: true,
      ai: { provider: 'offline', model: expect.any(String), offline: true },
      voice: { provider: 'local', speechInput: expect.any(Boolean) },
    });
    expect(res.body).not.toContain(t.ctx.config.AUTH_SECRET);
  });

  it('serves a generated OpenAPI 3.1 document and Swagger UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/token', '/api/users/{id}', '/api/api-keys', '/api/health']));
    const tokenBody = doc.paths['/api/auth/token'].post.requestBody.content['application/json'].schema;
    expect(tokenBody.required).toEqual(expect.arrayContaining(['email', 'password']));
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/html/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', error: 'Not Found' });
  });
});

describe('security headers and CORS', () => {
  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('lets pages connect only to this server (its own WebSocket origin), not to any WebSocket server', async () => {
    const csp = (await t.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy'] as string;
    expect(connectSrc(csp)).toEqual(["'self'", 'ws://localhost:3000']);
  });

  it('adds OpenAI and Daily to connect-src only when they are configured, and wss:// behind https', async () => {
    const other = await createTestApp({ PUBLIC_URL: 'https://coach.example:8443', VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', DAILY_API_KEY: 'daily-test' });
    try {
      const csp = (await other.app.inject({ method: 'GET', url: '/api/config' })).headers['content-security-policy'] as string;
      expect(connectSrc(csp)).toEqual(["'self'", 'wss://coach.example:8443', 'https://api.openai.com', 'https://*.daily.co', 'wss://*.daily.co']);
    } finally {
      await other.close();
    }
  });

  it('allows configured origins only', async () => {
    const allowed = await t.app.inject({ method: 'OPTIONS', url: '/api/health', headers: { origin: 'https://lms.example', 'access-control-request-method': 'GET' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://lms.example');
    const denied = await t.app.inject({ method: 'OPTIONS', url: '/api/health', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a bare OPTIONS (no preflight headers) without an error', async () => {
    // Found by the fuzz test: 400 "Invalid Preflight Request" in text/plain, not our error shape.
    const res = await t.app.inject({ method: 'OPTIONS', url: '/api/users' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
