import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/core-tables.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let acme: { id: string };
let globex: { id: string };
let acmeAdmin: Signed, alice: Signed, bob: Signed, globexAdmin: Signed, gina: Signed;

beforeAll(async () => {
  t = await createTestApp();
  acme = await makeOrganization(t.ctx, { slug: 'acme' });
  globex = await makeOrganization(t.ctx, { slug: 'globex' });
  acmeAdmin = await signedInUser(t, { organizationId: acme.id, role: 'admin' });
  alice = await signedInUser(t, { organizationId: acme.id });
  bob = await signedInUser(t, { organizationId: acme.id, role: 'coach' });
  globexAdmin = await signedInUser(t, { organizationId: globex.id, role: 'admin' });
  gina = await signedInUser(t, { organizationId: globex.id });
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

describe('one user cannot read or change another user’s data', () => {
  it('a member sees only themselves in the user list', async () => {
    const res = await get('/api/users', alice.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().users.map((u: { id: string }) => u.id)).toEqual([alice.user.id]);
  });

  it('a member reading a colleague gets 403, and cannot change them', async () => {
    expect((await get(`/api/users/${bob.user.id}`, alice.headers)).statusCode).toBe(403);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${bob.user.id}`, headers: alice.headers, payload: { name: 'hacked' } });
    expect(patch.statusCode).toBe(403);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/users/${bob.user.id}`, headers: alice.headers });
    expect(del.statusCode).toBe(403);
    const bobNow = await get(`/api/users/${bob.user.id}`, bob.headers);
    expect(bobNow.json().user.name).toBe(bob.user.name);
  });

  it('a member cannot raise their own role or plan', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${alice.user.id}`, headers: alice.headers, payload: { role: 'admin' } });
    expect(res.statusCode).toBe(403);
    const plan = await t.app.inject({ method: 'PATCH', url: `/api/users/${alice.user.id}`, headers: alice.headers, payload: { plan: 'PREMIUM' } });
    expect(plan.statusCode).toBe(403);
    expect((await get(`/api/users/${alice.user.id}`, alice.headers)).json().user).toMatchObject({ role: 'member', plan: 'FREE' });
  });

  it('an admin of the same organization may read and change them', async () => {
    const list = await get('/api/users', acmeAdmin.headers);
    expect(list.json().users.map((u: { id: string }) => u.id).sort()).toEqual([acmeAdmin.user.id, alice.user.id, bob.user.id].sort());
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${alice.user.id}`, headers: acmeAdmin.headers, payload: { plan: 'BASIC' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.plan).toBe('BASIC');
  });
});

describe('another organization’s data is never visible', () => {
  it('even its admin gets 404 for our users and never lists them', async () => {
    expect((await get(`/api/users/${alice.user.id}`, globexAdmin.headers)).statusCode).toBe(404);
    expect((await get(`/api/users/${alice.user.id}`, gina.headers)).statusCode).toBe(404);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${alice.user.id}`, headers: globexAdmin.headers, payload: { plan: 'PREMIUM' } });
    expect(patch.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/users/${alice.user.id}`, headers: globexAdmin.headers });
    expect(del.statusCode).toBe(404);
    const ids = (await get('/api/users', globexAdmin.headers)).json().users.map((u: { id: string }) => u.id);
    expect(ids.sort()).toEqual([globexAdmin.user.id, gina.user.id].sort());
  });

  it("an organization API key sees its own organization only", async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: acmeAdmin.headers, payload: { name: 'LMS integration' } });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json() as { key: string; apiKey: { id: string; prefix: string } };
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const auth = { authorization: `Bearer ${key}` };

    const me = await get('/api/me', auth);
    expect(me.json()).toMatchObject({ user: null, via: 'apiKey', organization: { slug: 'acme' } });
    expect((await get('/api/users', auth)).json().users).toHaveLength(3);
    expect((await get(`/api/users/${gina.user.id}`, auth)).statusCode).toBe(404);

    // The key is not stored: only its hash is.
    const rows = await t.ctx.database.db.select().from(apiKeys);
    expect(JSON.stringify(rows)).not.toContain(key);

    // An API key cannot mint further API keys (only people can).
    expect((await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload: { name: 'x' } })).statusCode).toBe(403);

    // Another organization cannot list or revoke it.
    expect((await get('/api/api-keys', globexAdmin.headers)).json().apiKeys).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${apiKey.id}`, headers: globexAdmin.headers })).statusCode).toBe(404);

    // Revoked → 401.
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${apiKey.id}`, headers: acmeAdmin.headers });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().apiKey.revokedAt).not.toBeNull();
    const after = await get('/api/me', auth);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
  });

  it('an expired API key → 401; members cannot manage keys (403)', async () => {
    const { key } = await t.ctx.services.apiKeys.create({ organizationId: acme.id, name: 'old', expiresAt: new Date(Date.now() - 1000) });
    const res = await get('/api/me', { authorization: `Bearer ${key}` });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/expired/);
    expect((await get('/api/api-keys', alice.headers)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: bob.headers, payload: { name: 'x' } })).statusCode).toBe(403);
    const past = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: acmeAdmin.headers, payload: { name: 'x', expiresAt: '2001-01-01T00:00:00Z' } });
    expect(past.statusCode).toBe(400);
    expect(past.json().details.field).toBe('expiresAt');
  });

  it('admins create users only in their own organization', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: globexAdmin.headers, payload: { name: 'Coach G', email: 'coach-g@example.test', password: 'password1', role: 'coach' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ organizationId: globex.id, role: 'coach' });
    expect((await get(`/api/users/${res.json().user.id}`, acmeAdmin.headers)).statusCode).toBe(404);
    const member = await t.app.inject({ method: 'POST', url: '/api/users', headers: alice.headers, payload: { name: 'X', email: 'x@example.test', password: 'password1' } });
    expect(member.statusCode).toBe(403);
  });

  it('malformed ids and unknown ids give 404, not 500', async () => {
    expect((await get('/api/users/does-not-exist', acmeAdmin.headers)).statusCode).toBe(404);
    expect((await get(`/api/users/${'x'.repeat(65)}`, acmeAdmin.headers)).statusCode).toBe(400);
  });
});
