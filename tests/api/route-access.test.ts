import { tracingChannel } from 'node:diagnostics_channel';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RouteAccess } from '../../src/platform/auth-hook.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The auth hook decides on the route the router matched, not on the raw URL: `/%61pi/users` is
 * `/api/users` once decoded, and a hook testing the raw text let it reach its handler with no
 * actor (no role check, no CSRF check). Every registered private route is asked anonymously with
 * a percent-encoded path, and must answer 401 without its handler ever starting.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_GLOBAL_PER_MINUTE: '100000' });
});
afterAll(() => t.close());

/** `/api/users/:id` → `/api/users/x`; `/api/docs/*` → `/api/docs/x`. */
const concrete = (pattern: string) => pattern.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x');

/** Percent-encodes one letter of a path segment: `/api/users` → `/%61pi/users` (segment 0) or `/api/%75sers` (segment 1). */
function encodeSegment(path: string, segment: number): string {
  const parts = path.split('/');
  const part = parts[segment + 1];
  const at = part?.search(/[a-z]/i) ?? -1;
  if (part === undefined || at < 0) return path;
  parts[segment + 1] = part.slice(0, at) + '%' + part.charCodeAt(at).toString(16).toUpperCase() + part.slice(at + 1);
  return parts.join('/');
}

it('answers 401 for every private route reached through a percent-encoded path, before any handler', async () => {
  const routes: RouteAccess[] = t.app.routeAccess();
  const reached: string[] = [];
  const channel = tracingChannel<object, { request: { headers: Record<string, unknown> }; route: { method: string; url: string } }>('fastify.request.handler');
  const subscriber = {
    start: (store: { request: { headers: Record<string, unknown> }; route: { method: string; url: string } }) => {
      if (store.request.headers['x-probe'] !== undefined) reached.push(`${store.route.method} ${store.route.url}`);
    },
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: () => undefined,
    error: () => undefined,
  };
  channel.subscribe(subscriber);
  const probed: string[] = [];
  try {
    for (const route of routes) {
      if (route.auth !== 'required' || route.method === 'OPTIONS') continue;
      const path = concrete(route.url);
      for (const url of new Set([encodeSegment(path, 0), encodeSegment(path, 1), encodeSegment(path, 2)])) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: { 'x-probe': '1', origin: 'https://evil.example' },
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        probed.push(`${route.method} ${url}`);
        expect(res.statusCode, `${route.method} ${url} (${route.url})`).toBe(401);
        if (route.method !== 'HEAD') expect(res.json().code, `${route.method} ${url}`).toBe('UNAUTHENTICATED');
      }
    }
  } finally {
    channel.unsubscribe(subscriber);
  }
  expect(reached).toEqual([]);
  console.log(`route access: ${probed.length} percent-encoded requests over ${routes.filter((r) => r.auth === 'required' && r.method !== 'OPTIONS').length} private route methods (HEAD included), all 401, no handler reached`);
  // The app's own route list drove the probes: every feature's private routes, not a hand-written sample.
  expect(probed.length).toBeGreaterThan(100);
  for (const expected of ['POST /%61pi/users', 'GET /api/%75sers/x', 'POST /%61pi/chat/send', 'POST /%61pi/api-keys', 'GET /%61pi/admin/outbox', 'POST /%61pi/voice/sessions']) {
    expect(probed).toContain(expected);
  }
});

it('lists public routes as public and keeps them reachable (sign-in; health with its details for admins only), and unknown paths 404', async () => {
  const routes = t.app.routeAccess();
  const auth = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.auth;
  expect(auth('GET', '/api/health')).toBe('optional');
  expect(auth('POST', '/api/auth/sign-in/email')).toBe('public');
  expect(auth('GET', '/api/users')).toBe('required');
  expect(auth('GET', '/v1/realtime')).toBe('unchecked');
  const health = await t.app.inject({ method: 'GET', url: '/%61pi/health' });
  expect(health.statusCode).toBe(200);
  // Anonymous, however the path is spelled: liveness only, no component details.
  expect(Object.keys(health.json())).toEqual(['status']);
  const missing = await t.app.inject({ method: 'GET', url: '/%61pi/nothing-here' });
  expect(missing.statusCode).toBe(404);
});
