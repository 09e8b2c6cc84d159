import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, {
    beforeReady: (app) => {
      app.get('/api/test/crash', { config: { auth: 'public' } }, async () => {
        throw new Error('db password is hunter2 at /srv/secret/path');
      });
      app.get('/api/test/conflict', { config: { auth: 'public' } }, async () => {
        throw new AppError('CONFLICT', 'Already booked.', { field: 'startDate' });
      });
    },
  });
});
afterAll(() => t.close());

it('answers an unexpected error with a generic 500 that leaks nothing', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/test/crash' });
  expect(res.statusCode).toBe(500);
  expect(res.json()).toEqual({ error: 'Internal Server Error', code: 'INTERNAL', message: 'Internal server error.' });
  expect(res.body).not.toMatch(/hunter2|secret|stack/);
});

it('maps AppError codes to their status through the one table', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/test/conflict' });
  expect(res.statusCode).toBe(409);
  expect(res.json()).toEqual({ error: 'Conflict', code: 'CONFLICT', message: 'Already booked.', details: { field: 'startDate' } });
});

it('answers what the router rejects (a too long path parameter, a malformed URL) with our error body, not echoing the URL', async () => {
  // Found by the fuzz test: Fastify answered 414 / 400 with its own body ({ …, code: FST_ERR_…, statusCode }) and the whole path in it.
  const long = await t.app.inject({ method: 'GET', url: `/api/users/${'é'.repeat(5_000)}` });
  expect(long.statusCode).toBe(400);
  expect(long.json()).toEqual({ error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid path: a path parameter is too long.' });
  const bad = await t.app.inject({ method: 'GET', url: '/api/users/%E0%A4%A' });
  expect(bad.statusCode).toBe(400);
  expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Invalid path: it is not valid percent-encoded UTF-8.' });
});

it('refuses a NUL character in a path id, a query or a body field with a 400 naming it (PostgreSQL text cannot hold one)', async () => {
  // Found by the fuzz test: DELETE /api/chat/sessions/a%00b and POST /api/conversations/%00/items answered 500.
  const org = await makeOrganization(t.ctx);
  const { headers } = await signedInUser(t, { organizationId: org.id });
  const del = await t.app.inject({ method: 'DELETE', url: '/api/chat/sessions/a%00b', headers });
  expect(del.statusCode).toBe(400);
  expect(del.json()).toEqual({ error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid sessionId: must not contain NUL characters', details: { field: 'sessionId' } });
  const search = await t.app.inject({ method: 'GET', url: '/api/chat/sessions?q=a%00', headers });
  expect(search.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'q' } });
  const created = await t.app.inject({ method: 'POST', url: '/api/conversations', headers, payload: { kind: 'coach' } });
  const item = { itemId: 'i1', role: 'user', text: 'bonjour\u0000', startMs: 0, endMs: 1 };
  const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${created.json().conversation.id}/items`, headers, payload: item });
  expect(res.statusCode).toBe(400);
  expect(res.json().details).toEqual({ field: 'text' });
});

it('refuses a body nested deeper than 64 levels with a 400 naming it, before anything walks it', async () => {
  // Found by the fuzz test: 20,000 nested arrays parse as JSON, then relaying them to better-auth
  // (POST /api/auth/change-password, /api/auth/delete-user…) overflowed JSON.stringify's stack: 500.
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/change-password', headers: { 'content-type': 'application/json' }, payload: deep });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({ error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Invalid body: must not be nested more than 64 levels deep', details: { field: 'body' } });
  const field = await t.app.inject({ method: 'POST', url: '/api/auth/update-user', headers: { 'content-type': 'application/json' }, payload: `{"name":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}` });
  expect(field.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'name' } });
  const fine = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: 'nobody@example.test', password: 'x'.repeat(10), extra: JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`) } });
  expect(fine.statusCode).toBe(401);
});
