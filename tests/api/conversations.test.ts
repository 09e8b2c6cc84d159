import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let alice: Signed, bob: Signed, admin: Signed, outsider: Signed;

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganization(t.ctx);
  const other = await makeOrganization(t.ctx);
  alice = await signedInUser(t, { organizationId: org.id });
  bob = await signedInUser(t, { organizationId: org.id });
  admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
  outsider = await signedInUser(t, { organizationId: other.id, role: 'admin' });
});
afterAll(() => t.close());

const start = async (who: Signed, body: Record<string, unknown> = { kind: 'roleplay', title: 'Cold call' }) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/conversations', headers: who.headers, payload: body });
  expect(res.statusCode).toBe(201);
  return res.json().conversation as { id: string; status: string };
};
const post = (who: Signed, id: string, item: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/conversations/${id}/items`, headers: who.headers, payload: item });

describe('transcripts you can trust', () => {
  it('orders items by when each turn started, even when a user transcript completes after the reply', async () => {
    const c = await start(alice);
    // The assistant's reply (started at 2.4 s) is saved before the user's transcript (started at 0.5 s).
    expect((await post(alice, c.id, { itemId: 'item_a1', role: 'assistant', text: 'Bonjour, que puis-je faire ?', startMs: 2400, endMs: 4100 })).statusCode).toBe(201);
    expect((await post(alice, c.id, { itemId: 'item_u1', role: 'user', text: 'Je voudrais parler de vos tarifs.', startMs: 500, endMs: 2100 })).statusCode).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: alice.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { itemId: string }) => i.itemId)).toEqual(['item_u1', 'item_a1']);
    expect(res.json().items[0]).toMatchObject({ role: 'user', type: 'message', status: 'completed', startMs: 500, endMs: 2100 });
  });

  it('saves each item once: a retried post is a no-op', async () => {
    const c = await start(alice);
    const item = { itemId: 'item_x', role: 'user', text: 'Hello', startMs: 0, endMs: 800 };
    expect((await post(alice, c.id, item)).json()).toEqual({ saved: true });
    const again = await post(alice, c.id, { ...item, text: 'changed' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ saved: false });
    const items = (await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: alice.headers })).json().items;
    expect(items).toHaveLength(1);
    expect(items[0].text).toBe('Hello');
  });

  it('an item cut short after it completed keeps only what was played; other rewrites are ignored', async () => {
    const c = await start(alice);
    const full = { itemId: 'a1', role: 'assistant', text: 'First sentence. Second sentence.', startMs: 100, endMs: 3000 };
    expect((await post(alice, c.id, full)).statusCode).toBe(201);
    const cut = await post(alice, c.id, { ...full, text: 'First sentence.', endMs: 1400, status: 'incomplete' });
    expect(cut.json()).toEqual({ saved: true });
    // Not a prefix, or not a truncation: ignored.
    expect((await post(alice, c.id, { ...full, text: 'Something else.', status: 'incomplete' })).json()).toEqual({ saved: false });
    expect((await post(alice, c.id, full)).json()).toEqual({ saved: false });
    const items = (await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: alice.headers })).json().items;
    expect(items).toEqual([expect.objectContaining({ itemId: 'a1', text: 'First sentence.', endMs: 1400, status: 'incomplete' })]);
  });

  it('an interrupted conversation keeps what was said and takes no more items', async () => {
    const c = await start(alice);
    await post(alice, c.id, { itemId: 'i1', role: 'assistant', text: 'Let me explain', startMs: 0, endMs: 900, status: 'incomplete' });
    const end = await t.app.inject({ method: 'POST', url: `/api/conversations/${c.id}/end`, headers: alice.headers, payload: { status: 'interrupted' } });
    expect(end.json().conversation).toMatchObject({ status: 'interrupted', endedAt: expect.any(String) });
    const late = await post(alice, c.id, { itemId: 'i2', role: 'user', text: 'late', startMs: 1000, endMs: 1200 });
    expect(late.statusCode).toBe(409);
    // Ending twice is harmless and does not change the first outcome.
    const twice = await t.app.inject({ method: 'POST', url: `/api/conversations/${c.id}/end`, headers: alice.headers, payload: { status: 'completed' } });
    expect(twice.json().conversation.status).toBe('interrupted');
    const res = (await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: alice.headers })).json();
    expect(res.items).toEqual([expect.objectContaining({ itemId: 'i1', status: 'incomplete', text: 'Let me explain' })]);
  });
});

describe('scoping and bad input', () => {
  it('other users get 403, other organizations 404, the admin sees it', async () => {
    const c = await start(alice);
    expect((await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: bob.headers })).statusCode).toBe(403);
    expect((await post(bob, c.id, { itemId: 'evil', role: 'user', text: 'x', startMs: 0, endMs: 1 })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: outsider.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/conversations/${c.id}`, headers: admin.headers })).statusCode).toBe(200);
    const bobs = (await t.app.inject({ method: 'GET', url: '/api/conversations', headers: bob.headers })).json();
    expect(bobs.conversations).toEqual([]);
  });

  it('names bad fields', async () => {
    const c = await start(alice);
    const backwards = await post(alice, c.id, { itemId: 'b', role: 'user', text: 'x', startMs: 500, endMs: 100 });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().details.field).toBe('endMs');
    const badRole = await post(alice, c.id, { itemId: 'b', role: 'robot', text: 'x', startMs: 0, endMs: 1 });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().message).toMatch(/role/);
    const badKind = await t.app.inject({ method: 'POST', url: '/api/conversations', headers: alice.headers, payload: { kind: 'karaoke' } });
    expect(badKind.statusCode).toBe(400);
    const badCursor = await t.app.inject({ method: 'GET', url: '/api/conversations?cursor=garbage', headers: alice.headers });
    expect(badCursor.statusCode).toBe(400);
  });

  it('refuses a forged cursor whose instant JavaScript accepts but PostgreSQL does not (400, not 500)', async () => {
    // Found by the fuzz test: "275760-09-13|x" and "-000001-01-01|x" made valid Dates that failed in SQL.
    for (const instant of ['275760-09-13', '-000001-01-01', '+010000-01-01T00:00:00.000Z']) {
      const cursor = Buffer.from(`${instant}|x`).toString('base64url');
      const res = await t.app.inject({ method: 'GET', url: `/api/conversations?cursor=${cursor}`, headers: alice.headers });
      expect(res.statusCode, instant).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cursor' } });
    }
  });

  it('paginates with a cursor, newest first, without gaps or repeats', async () => {
    const u = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await start(u, { kind: 'interview', title: `Interview ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/conversations?kind=interview&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url, headers: u.headers })).json() as { conversations: { id: string }[]; nextCursor: string | null };
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Same order as one big page (newest first; ties broken by id), every conversation once.
    const all = (await t.app.inject({ method: 'GET', url: '/api/conversations?kind=interview&limit=100', headers: u.headers })).json();
    expect(seen).toEqual(all.conversations.map((c: { id: string }) => c.id));
    expect([...seen].sort()).toEqual([...ids].sort());
  });
});
