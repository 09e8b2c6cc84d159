import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/config/paths.js';
import { apiKeys } from '../../src/db/core-tables.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/**
 * Organization API keys carry scopes (voice, chat, bookings, users:write, admin): least privilege
 * by default, checked by the auth hook on every route, and `admin` needed for roles above member.
 */
let t: TestApp;
let orgId: string;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let member: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await makeOrganization(t.ctx)).id;
  admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
  member = await signedInUser(t, { organizationId: orgId });
});
afterAll(() => t.close());

const createKey = async (payload: object) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: admin.headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  const { key, apiKey } = res.json() as { key: string; apiKey: { id: string; scopes: string[] } };
  return { headers: { authorization: `Bearer ${key}` }, apiKey };
};
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const newUser = (n: string, extra: object = {}) => ({ name: `User ${n}`, email: `scoped-${n}-${Date.now()}@example.test`, password: 'long enough', ...extra });

describe('scopes at creation', () => {
  it('gives a key created without scopes only `voice`, and lists scopes', async () => {
    const { apiKey } = await createKey({ name: 'no scopes given' });
    expect(apiKey.scopes).toEqual(['voice']);
    const { apiKey: empty } = await createKey({ name: 'empty list', scopes: [] });
    expect(empty.scopes).toEqual(['voice']);
    const { apiKey: two } = await createKey({ name: 'two', scopes: ['bookings', 'chat', 'chat'] });
    expect(two.scopes).toEqual(['chat', 'bookings']);
    const list = await call('GET', '/api/api-keys', admin.headers);
    expect(list.json().apiKeys.find((k: { id: string }) => k.id === two.id).scopes).toEqual(['chat', 'bookings']);
  });

  it('refuses an unknown scope with 400 naming the field', async () => {
    const res = await call('POST', '/api/api-keys', admin.headers, { name: 'bad', scopes: ['voice', 'root'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().details.fields[0].field).toBe('scopes.1');
  });
});

describe('routes check the scope a key needs', () => {
  it('a voice key mints voice credentials but is refused chat, bookings and admin routes (403 naming the scope)', async () => {
    const voice = await createKey({ name: 'roleplay embed' });
    expect((await call('GET', '/api/me', voice.headers)).statusCode).toBe(200);
    expect((await call('GET', '/api/users', voice.headers)).statusCode).toBe(200);
    expect((await call('POST', '/api/voice/sessions', voice.headers, { userId: member.user.id })).statusCode).toBe(201);
    expect((await call('GET', `/api/conversations?userId=${member.user.id}`, voice.headers)).statusCode).toBe(200);
    for (const [method, url, scope, payload] of [
      ['POST', '/api/chat/send', 'chat', { userId: member.user.id, message: 'Bonjour' }],
      ['GET', `/api/chat/history?userId=${member.user.id}`, 'chat'],
      ['GET', '/api/announcements', 'bookings'],
      ['GET', '/api/admin/outbox', 'admin'],
      ['GET', `/api/admin/users/${member.user.id}/credits`, 'admin'],
      ['POST', '/api/users', 'users:write', newUser('v')],
      ['PATCH', `/api/users/${member.user.id}`, 'users:write', { name: 'Renamed' }],
    ] as const) {
      const res = await call(method, url, voice.headers, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json(), `${method} ${url}`).toMatchObject({ code: 'MISSING_SCOPE', details: { scope } });
      expect(res.json().message).toContain(scope);
    }
    // Nothing was sent, nobody was renamed.
    expect((await call('GET', `/api/users/${member.user.id}`, admin.headers)).json().user.name).toBe(member.user.name);
  });

  it('a chat key chats for a member and is refused voice; a bookings key reads offers', async () => {
    const chat = await createKey({ name: 'chat partner', scopes: ['chat'] });
    const sent = await call('POST', '/api/chat/send', chat.headers, { userId: member.user.id, message: 'Bonjour' });
    expect(sent.statusCode).toBe(200);
    const voice = await call('POST', '/api/voice/sessions', chat.headers, { userId: member.user.id });
    expect(voice.json()).toMatchObject({ code: 'MISSING_SCOPE', details: { scope: 'voice' } });
    const bookings = await createKey({ name: 'marketplace', scopes: ['bookings'] });
    expect((await call('GET', '/api/announcements', bookings.headers)).statusCode).toBe(200);
  });

  it('people are not scoped: a member and an admin keep their routes', async () => {
    expect((await call('GET', `/api/chat/history`, member.headers)).statusCode).toBe(200);
    expect((await call('GET', '/api/admin/outbox', admin.headers)).statusCode).toBe(200);
  });
});

describe('users:write without admin creates members only', () => {
  it('creates a member, but not a coach or an admin, nor a paid plan, nor changes a role', async () => {
    const writer = await createKey({ name: 'provisioning', scopes: ['users:write'] });
    const created = await call('POST', '/api/users', writer.headers, newUser('m'));
    expect(created.statusCode).toBe(201);
    expect(created.json().user.role).toBe('member');
    for (const extra of [{ role: 'coach' }, { role: 'admin' }, { plan: 'PREMIUM' }]) {
      const res = await call('POST', '/api/users', writer.headers, newUser(JSON.stringify(extra).replace(/\W/g, ''), extra));
      expect(res.statusCode, JSON.stringify(extra)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'MISSING_SCOPE', details: { scope: 'admin' } });
    }
    const promote = await call('PATCH', `/api/users/${created.json().user.id}`, writer.headers, { role: 'admin' });
    expect(promote.json()).toMatchObject({ code: 'MISSING_SCOPE', details: { scope: 'admin' } });
    const rename = await call('PATCH', `/api/users/${created.json().user.id}`, writer.headers, { name: 'Renamed member' });
    expect(rename.statusCode).toBe(200);
    const users = (await call('GET', '/api/users', admin.headers)).json().users as { email: string; role: string }[];
    expect(users.filter((u) => u.email.startsWith('scoped-')).map((u) => u.role)).toEqual(['member']);
    expect((await call('DELETE', `/api/users/${created.json().user.id}`, writer.headers)).statusCode).toBe(204);
  });

  it('an admin key creates an admin', async () => {
    const root = await createKey({ name: 'root', scopes: ['admin'] });
    const res = await call('POST', '/api/users', root.headers, newUser('a', { role: 'admin' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().user.role).toBe('admin');
  });
});

it('the migration gives keys made before scopes `admin`, explicitly', async () => {
  // Replays this migration's api_key statements on a table as it was before it.
  const db = t.ctx.database.db;
  const { apiKey } = await t.ctx.services.apiKeys.create({ organizationId: orgId, name: 'before scopes', scopes: ['chat'] });
  await db.execute(sql`alter table api_key drop column scopes`);
  const migration = await readFile(join(MIGRATIONS_DIR, '0011_api_key_scopes_refresh_tokens.sql'), 'utf8');
  const statements = migration.split('--> statement-breakpoint').filter((s) => /ALTER TABLE "api_key"/.test(s));
  expect(statements.length).toBeGreaterThan(0);
  for (const statement of statements) await db.execute(sql.raw(statement));
  const [row] = await db.select({ scopes: apiKeys.scopes }).from(apiKeys).where(eq(apiKeys.id, apiKey.id));
  expect(row!.scopes).toEqual(['admin']);
  // And a key made afterwards must say its scopes: no default is left on the column.
  await expect(db.execute(sql`insert into api_key (id, organization_id, name, prefix, hash) values ('k', ${orgId}, 'n', 'p', 'h')`)).rejects.toThrow();
});
