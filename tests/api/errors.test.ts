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
