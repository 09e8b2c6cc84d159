import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const run = async (...argv: string[]) => {
  const lines: string[] = [];
  await runCli(argv, t.ctx, (l) => lines.push(l));
  return lines.join('\n');
};

it('creates an organization, an admin who can sign in, and a revocable API key', async () => {
  expect(await run('org:create', '--name', 'Gym Franchise', '--slug', 'gym')).toMatch(/Organization created: Gym Franchise/);
  expect(await run('user:create', '--org', 'gym', '--email', 'boss@gym.test', '--password', 'boss-password', '--name', 'Boss', '--role', 'admin')).toMatch(/admin/);
  const token = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: 'boss@gym.test', password: 'boss-password' } });
  expect(token.statusCode).toBe(200);

  const out = await run('apikey:create', '--org', 'gym', '--name', 'kiosk');
  const key = /Key \(shown once, store it now\): (chk_\S+)/.exec(out)![1]!;
  const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${key}` } });
  expect(me.json().organization.slug).toBe('gym');

  const id = /\(id ([0-9a-f-]+)\)/.exec(out)![1]!;
  expect(await run('apikey:list', '--org', 'gym')).toMatch(/kiosk.*active/);
  expect(out).toMatch(/scopes voice$/m);
  expect(await run('apikey:revoke', '--id', id)).toMatch(/revoked/);
  expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
});

it('creates a key with the scopes asked for, and refuses an unknown one', async () => {
  const out = await run('apikey:create', '--org', 'gym', '--name', 'front desk', '--scopes', 'bookings, chat');
  expect(out).toMatch(/scopes chat, bookings/);
  expect(await run('apikey:list', '--org', 'gym')).toMatch(/front desk\tchk_\S+…\tchat,bookings\tactive/);
  await expect(run('apikey:create', '--org', 'gym', '--name', 'x', '--scopes', 'voice,root')).rejects.toThrow(/--scopes: each must be one of voice, chat, bookings, users:write, admin/);
});

it('names the bad option', async () => {
  await expect(run('user:create', '--org', 'gym', '--email', 'nope', '--password', 'x', '--name', 'N')).rejects.toThrow(/--email must be a valid email.*--password/);
  await expect(run('org:create', '--name', 'Dup', '--slug', 'gym')).rejects.toThrow(/already exists/);
  await expect(run('user:list', '--org', 'missing')).rejects.toThrow(/No organization/);
  await expect(run('frobnicate')).rejects.toThrow(/Unknown command/);
});
