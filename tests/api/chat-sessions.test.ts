import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let acme: { id: string };
let alice: Signed, bob: Signed, acmeAdmin: Signed, gina: Signed, globexAdmin: Signed, english: Signed;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_AI_PER_MINUTE: '1000' });
  acme = await makeOrganization(t.ctx, { slug: 'acme-chat' });
  const globex = await makeOrganization(t.ctx, { slug: 'globex-chat' });
  alice = await signedInUser(t, { organizationId: acme.id, plan: 'PREMIUM' });
  bob = await signedInUser(t, { organizationId: acme.id });
  acmeAdmin = await signedInUser(t, { organizationId: acme.id, role: 'admin' });
  gina = await signedInUser(t, { organizationId: globex.id });
  globexAdmin = await signedInUser(t, { organizationId: globex.id, role: 'admin' });
  english = await signedInUser(t, { organizationId: acme.id });
  await t.app.inject({ method: 'PATCH', url: '/api/me', headers: english.headers, payload: { locale: 'en' } });
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Signed, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('sessions', () => {
  it('creates a session with the default title in the user’s language, or the given title', async () => {
    const fr = await req('POST', '/api/chat/sessions', alice, { userId: alice.user.id });
    expect(fr.statusCode).toBe(201);
    expect(fr.json().session).toEqual({
      id: expect.any(String),
      title: 'Nouvelle conversation',
      lastMessage: null,
      messageCount: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const en = await req('POST', '/api/chat/sessions', english, {});
    expect(en.json().session.title).toBe('New conversation');
    const titled = await req('POST', '/api/chat/sessions', alice, { title: '  Premier rendez-vous  ' });
    expect(titled.json().session.title).toBe('Premier rendez-vous');
  });

  it('lists, searches, reads, renames and deletes a session with its messages', async () => {
    const sent = await req('POST', '/api/chat/send', alice, { message: 'Je suis timide avant un premier rendez-vous, comment me préparer ?' });
    expect(sent.statusCode).toBe(200);
    const sessionId = sent.json().sessionId as string;

    const list = await req('GET', `/api/chat/sessions?userId=${alice.user.id}`, alice);
    expect(list.statusCode).toBe(200);
    const listed = list.json().sessions.find((s: { id: string }) => s.id === sessionId);
    expect(listed).toMatchObject({ title: 'Je suis timide avant un premier rendez-vous, comment me pré…', messageCount: 2 });
    // lastMessage: the reply on one line (cut at 200 characters).
    const reply = (sent.json().assistantMessage.content as string).replace(/\s+/g, ' ').trim();
    expect(listed.lastMessage.length).toBeGreaterThan(0);
    expect(reply.startsWith(listed.lastMessage.replace(/…$/, ''))).toBe(true);
    expect(list.json().sessions[0].id).toBe(sessionId); // newest first

    const search = await req('GET', '/api/chat/sessions?q=TIMIDE', alice);
    expect(search.json().sessions.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    const wildcard = await req('GET', '/api/chat/sessions?q=%25', alice);
    expect(wildcard.json().sessions).toEqual([]);

    const one = await req('GET', `/api/chat/sessions/${sessionId}`, alice);
    expect(one.statusCode).toBe(200);
    const session = one.json().session;
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual(['USER', 'ASSISTANT']);
    expect(session.messages[0]).toEqual({
      id: expect.any(String),
      sessionId,
      role: 'USER',
      content: 'Je suis timide avant un premier rendez-vous, comment me préparer ?',
      status: 'complete',
      createdAt: expect.any(String),
    });

    const renamed = await req('PATCH', `/api/chat/sessions/${sessionId}`, alice, { title: 'Préparer le rendez-vous' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().session.title).toBe('Préparer le rendez-vous');
    expect((await req('PATCH', `/api/chat/sessions/${sessionId}`, alice, { title: '  ' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('title') });

    const del = await req('DELETE', `/api/chat/sessions/${sessionId}`, alice);
    expect(del.statusCode).toBe(204);
    expect((await req('GET', `/api/chat/sessions/${sessionId}`, alice)).statusCode).toBe(404);
    expect((await req('DELETE', `/api/chat/sessions/${sessionId}`, alice)).statusCode).toBe(404);
    const history = await req('GET', '/api/chat/history', alice);
    expect(history.json().history.some((h: { id: string }) => h.id === sessionId)).toBe(false);
  });

  it('pages sessions and history with a cursor (newest first, no duplicates, no gaps)', async () => {
    const user = await signedInUser(t, { organizationId: acme.id });
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await req('POST', '/api/chat/sessions', user, { title: `S${i}` })).json().session.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/chat/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await req('GET', url, user)).json() as { sessions: { id: string }[]; nextCursor: string | null };
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());

    const h1 = (await req('GET', '/api/chat/history?limit=5', user)).json();
    expect(h1.history).toHaveLength(5);
    expect(h1.stats).toEqual({ totalSessions: 7, totalMessages: 0 });
    const h2 = (await req('GET', `/api/chat/history?limit=5&cursor=${h1.nextCursor}`, user)).json();
    expect(h2.history.map((h: { id: string }) => h.id)).toEqual([created[1], created[0]]);
    expect(h2.nextCursor).toBeNull();
    expect((await req('GET', '/api/chat/history?cursor=bm9wZQ', user)).json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('cursor') });
  });

  it('refuses a forged cursor whose instant JavaScript parses but PostgreSQL does not (400, not 500)', async () => {
    // Found by the fuzz test: "0|x" and "-000001-01-01|x" passed Date.parse and failed in SQL as ::timestamptz.
    const user = await signedInUser(t, { organizationId: acme.id });
    for (const instant of ['0', '2024', '-000001-01-01', '+275760-09-13T00:00:00.000Z', '2024-13-45T00:00:00.000Z', 'Tue, 01 Jan 2030']) {
      const cursor = Buffer.from(`${instant}|x`).toString('base64url');
      for (const path of ['/api/chat/sessions', '/api/chat/history']) {
        const res = await req('GET', `${path}?cursor=${cursor}`, user);
        expect(res.statusCode, `${path} ${instant}`).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cursor' } });
      }
    }
  });

  it('history and stats have the documented shapes', async () => {
    const user = await signedInUser(t, { organizationId: acme.id, plan: 'BASIC' });
    const a = await req('POST', '/api/chat/send', user, { message: 'Bonjour coach' });
    await req('POST', '/api/chat/send', user, { sessionId: a.json().sessionId, message: 'Je voudrais plus de confiance en moi' });
    await req('POST', '/api/chat/send', user, { message: 'Une autre question' });
    const history = await req('GET', `/api/chat/history?userId=${user.user.id}&limit=10`, user);
    expect(history.statusCode).toBe(200);
    const body = history.json();
    expect(body.stats).toEqual({ totalSessions: 2, totalMessages: 6 });
    expect(body.nextCursor).toBeNull();
    expect(body.history[1]).toEqual({
      id: a.json().sessionId,
      title: 'Bonjour coach',
      preview: expect.any(String),
      messageCount: 4,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(body.history[1].preview.length).toBeGreaterThan(0);
    const stats = await req('GET', `/api/user/stats?userId=${user.user.id}`, user);
    expect(stats.json()).toEqual({ stats: { totalChats: 2, totalMessages: 6, remainingCredits: 47, plan: 'BASIC', status: 'ACTIVE' } });
  });
});

describe('validation', () => {
  it('answers 400 VALIDATION_FAILED naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/chat/send', {}, 'message'],
      ['POST', '/api/chat/send', { message: '   ' }, 'message'],
      ['POST', '/api/chat/send', { message: 'x'.repeat(4001) }, 'message'],
      ['POST', '/api/chat/send', { message: 'ok', sessionId: '' }, 'sessionId'],
      ['POST', '/api/chat/send', { message: 'ok', userId: 42 }, 'userId'],
      ['POST', '/api/chat/sessions', { title: 'x'.repeat(81) }, 'title'],
      ['GET', '/api/chat/history?limit=0', undefined, 'limit'],
      ['GET', '/api/chat/history?limit=abc', undefined, 'limit'],
      ['GET', '/api/chat/sessions?limit=101', undefined, 'limit'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await req(method as 'GET', url, bob, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json()).toMatchObject({ error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(res.json().message).toContain(field);
    }
  });

  it('requires authentication', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/chat/sessions' });
    expect(res.statusCode).toBe(401);
    const send = await t.app.inject({ method: 'POST', url: '/api/chat/send', payload: { message: 'hi' } });
    expect(send.statusCode).toBe(401);
  });

  it('an unknown session is 404', async () => {
    expect((await req('GET', '/api/chat/sessions/does-not-exist', bob)).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await req('POST', '/api/chat/send', bob, { sessionId: 'does-not-exist', message: 'hi' })).statusCode).toBe(404);
  });
});

describe('isolation', () => {
  let aliceSession: string;
  beforeAll(async () => {
    aliceSession = (await req('POST', '/api/chat/send', alice, { message: 'Mon secret' })).json().sessionId;
  });

  it('another user of the organization gets 403 on my session and my userId', async () => {
    for (const [method, payload] of [['GET'], ['PATCH', { title: 'pwned' }], ['DELETE']] as const) {
      expect((await req(method, `/api/chat/sessions/${aliceSession}`, bob, payload)).statusCode).toBe(403);
    }
    const send = await req('POST', '/api/chat/send', bob, { sessionId: aliceSession, message: 'hi' });
    expect(send.statusCode).toBe(403);
    expect(send.json().code).toBe('FORBIDDEN');
    for (const url of ['/api/chat/sessions', '/api/chat/history', '/api/user/stats']) {
      expect((await req('GET', `${url}?userId=${alice.user.id}`, bob)).statusCode, url).toBe(403);
    }
    expect((await req('POST', '/api/chat/send', bob, { userId: alice.user.id, message: 'hi' })).statusCode).toBe(403);
    expect((await req('POST', '/api/chat/sessions', bob, { userId: alice.user.id })).statusCode).toBe(403);
    // Still there, untouched.
    expect((await req('GET', `/api/chat/sessions/${aliceSession}`, alice)).json().session.title).toBe('Mon secret');
  });

  it('another organization gets 404 on my session, even its admin, and 403 for my userId', async () => {
    for (const who of [gina, globexAdmin]) {
      expect((await req('GET', `/api/chat/sessions/${aliceSession}`, who)).statusCode).toBe(404);
      expect((await req('DELETE', `/api/chat/sessions/${aliceSession}`, who)).statusCode).toBe(404);
      expect((await req('POST', '/api/chat/send', who, { sessionId: aliceSession, message: 'hi' })).statusCode).toBe(404);
    }
    expect((await req('GET', `/api/chat/history?userId=${alice.user.id}`, globexAdmin)).statusCode).toBe(403);
    expect((await req('GET', `/api/admin/users/${alice.user.id}/credits`, globexAdmin)).statusCode).toBe(404);
  });

  it('an admin of the organization, or its API key, may act for a member', async () => {
    const history = await req('GET', `/api/chat/history?userId=${alice.user.id}`, acmeAdmin);
    expect(history.statusCode).toBe(200);
    expect(history.json().history.map((h: { id: string }) => h.id)).toContain(aliceSession);
    expect((await req('GET', `/api/chat/sessions/${aliceSession}`, acmeAdmin)).statusCode).toBe(200);

    const created = await req('POST', '/api/api-keys', acmeAdmin, { name: 'partner', scopes: ['chat'] });
    const keyHeaders = { authorization: `Bearer ${created.json().key}` };
    const viaKey = await t.app.inject({ method: 'GET', url: `/api/user/stats?userId=${bob.user.id}`, headers: keyHeaders });
    expect(viaKey.statusCode).toBe(200);
    expect(viaKey.json().stats.plan).toBe('FREE');
    const noUser = await t.app.inject({ method: 'GET', url: '/api/chat/history', headers: keyHeaders });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().message).toContain('userId');
    const sent = await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: keyHeaders, payload: { userId: bob.user.id, message: 'Bonjour' } });
    expect(sent.statusCode).toBe(200);
    expect((await req('GET', `/api/chat/sessions/${sent.json().sessionId}`, bob)).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents every chat route from its zod schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, method] of [
      ['/api/chat/sessions', 'get'],
      ['/api/chat/sessions', 'post'],
      ['/api/chat/sessions/{sessionId}', 'get'],
      ['/api/chat/sessions/{sessionId}', 'patch'],
      ['/api/chat/sessions/{sessionId}', 'delete'],
      ['/api/chat/send', 'post'],
      ['/api/chat/history', 'get'],
      ['/api/user/stats', 'get'],
      ['/api/admin/users/{id}/credits', 'get'],
      ['/api/admin/users/{id}/credits/adjust', 'post'],
      ['/api/admin/chat/coach-prompt', 'put'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/api/chat/send']!.post!.responses['200'])).toContain('remainingCredits');
  });
});
