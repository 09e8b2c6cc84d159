import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

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
