import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatMessages, creditLedger, creditReservations } from '../../src/features/chat/tables.js';
import { COACH_RULES } from '../../src/features/chat/coach-prompt.js';
import { DEFAULT_CONTEXT_BUDGET_TOKENS, estimateTokens } from '../../src/features/chat/context-window.js';
import { startFakeOpenAi, splitWords, type FakeOpenAiServer } from '../fakes/openai-server.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let fake: FakeOpenAiServer;
let t: TestApp;
let base: string;
let org: { id: string };

beforeAll(async () => {
  fake = await startFakeOpenAi();
  t = await createTestApp({
    AI_PROVIDER: 'openai',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test',
    AI_FALLBACK: 'none',
    LLM_MAX_RETRIES: '0',
    RATE_LIMIT_AI_PER_MINUTE: '1000',
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  org = await makeOrganization(t.ctx);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads SSE events from a fetch response; `onEvent` may return true to stop reading. */
async function readSse(res: Response, onEvent?: (e: SseEvent) => boolean | void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const parsed = { event, data: data === undefined ? null : JSON.parse(data) };
      events.push(parsed);
      if (onEvent?.(parsed)) {
        await reader.cancel().catch(() => undefined);
        return events;
      }
    }
  }
  return events;
}

const stream = (who: Signed, payload: unknown, signal?: AbortSignal) =>
  fetch(`${base}/api/chat/send`, {
    method: 'POST',
    headers: { ...who.headers, accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    ...(signal ? { signal } : {}),
  });

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('streaming (SSE)', () => {
  it('streams delta events, then done with the saved messages and remainingCredits', async () => {
    fake.reset();
    fake.handler = () => ({ kind: 'completion', content: splitWords('Bravo pour ce premier pas. **Que** ressentez-vous ?') });
    const user = await signedInUser(t, { organizationId: org.id });
    const res = await stream(user, { message: 'J’ai osé parler à quelqu’un !' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { delta: string }).delta);
    expect(deltas.length).toBeGreaterThan(3);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const body = done.data as { sessionId: string; assistantMessage: { content: string; status: string }; userMessage: { content: string }; remainingCredits: number };
    expect(deltas.join('')).toBe('Bravo pour ce premier pas. **Que** ressentez-vous ?');
    expect(body.assistantMessage).toMatchObject({ content: deltas.join(''), status: 'complete', role: 'ASSISTANT' });
    expect(body.userMessage.content).toBe('J’ai osé parler à quelqu’un !');
    expect(body.remainingCredits).toBe(4);
  });

  it('an AI failure during a stream ends with an error event, charges nothing', async () => {
    fake.reset();
    fake.enqueue({ kind: 'error', status: 500 });
    const user = await signedInUser(t, { organizationId: org.id });
    const events = await readSse(await stream(user, { message: 'Bonjour' }));
    expect(events.at(-1)).toEqual({ event: 'error', data: expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }) });
    const stats = await (await fetch(`${base}/api/user/stats`, { headers: user.headers })).json();
    expect(stats.stats).toMatchObject({ remainingCredits: 5, totalMessages: 0 });
  });

  it('a client disconnect aborts the AI call, keeps the partial reply marked incomplete, and charges its credit (the reply had started)', async () => {
    fake.reset();
    const words = splitWords(Array.from({ length: 60 }, (_, i) => `mot${i}`).join(' '));
    fake.handler = () => ({ kind: 'completion', content: words, chunkDelayMs: 40 });
    const user = await signedInUser(t, { organizationId: org.id });
    const controller = new AbortController();
    const res = await stream(user, { message: 'Raconte-moi une longue histoire' }, controller.signal);
    let received = 0;
    await readSse(res, (e) => {
      if (e.event === 'delta') received++;
      if (received === 3) {
        controller.abort();
        return true;
      }
      return false;
    }).catch(() => undefined);
    // The server aborted its upstream call (the fake sees the disconnect) well before the end.
    await fake.waitForDisconnect();
    expect(fake.disconnects).toBe(1);

    const db = t.ctx.database.db;
    const saved = await until(async () => {
      const rows = await db.select().from(chatMessages).where(eq(chatMessages.userId, user.user.id));
      return rows.length === 2 ? rows : undefined;
    });
    const assistant = saved.find((m) => m.role === 'ASSISTANT')!;
    expect(assistant.status).toBe('incomplete');
    expect(assistant.content.length).toBeGreaterThan(0);
    expect(assistant.content).not.toContain('mot59');
    expect(saved.find((m) => m.role === 'USER')!.content).toBe('Raconte-moi une longue histoire');
    const spends = await until(async () => {
      const rows = (await db.select().from(creditLedger).where(eq(creditLedger.userId, user.user.id))).filter((e) => e.kind === 'spend');
      return rows.length > 0 ? rows : undefined;
    });
    expect(spends).toMatchObject([{ amount: -1, messageId: assistant.id }]);
    await until(async () => ((await db.select().from(creditReservations).where(eq(creditReservations.userId, user.user.id))).length === 0 ? true : undefined));
    const stats = await (await fetch(`${base}/api/user/stats`, { headers: user.headers })).json();
    expect(stats.stats).toMatchObject({ remainingCredits: 4, totalChats: 1, totalMessages: 2 });

    // The session shows the incomplete reply.
    const session = await (await fetch(`${base}/api/chat/sessions/${assistant.sessionId}`, { headers: user.headers })).json();
    expect(session.session.messages.map((m: { status: string }) => m.status)).toEqual(['complete', 'incomplete']);
  });

  it('JSON clients that disconnect before the reply started are not charged', async () => {
    fake.reset();
    // The AI never answers: the client gives up first.
    fake.handler = () => ({ kind: 'stall' });
    const user = await signedInUser(t, { organizationId: org.id });
    const controller = new AbortController();
    const pending = fetch(`${base}/api/chat/send`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Bonjour' }),
      signal: controller.signal,
    }).catch(() => null);
    await until(async () => (fake.requests.length > 0 ? true : undefined));
    controller.abort();
    await pending;
    await fake.waitForDisconnect();
    const db = t.ctx.database.db;
    await until(async () => ((await db.select().from(creditReservations).where(eq(creditReservations.userId, user.user.id))).length === 0 ? true : undefined));
    await until(async () => ((await db.select().from(chatMessages).where(eq(chatMessages.userId, user.user.id))).length === 1 ? true : undefined));
    const stats = await (await fetch(`${base}/api/user/stats`, { headers: user.headers })).json();
    expect(stats.stats.remainingCredits).toBe(5);
    expect((await db.select().from(creditLedger).where(eq(creditLedger.userId, user.user.id))).filter((e) => e.kind === 'spend')).toHaveLength(0);
  });
});

describe('the coach prompt and the context window', () => {
  it('sends the coach system prompt (organization persona + ethical rules) and trims old turns to the token budget', async () => {
    fake.reset();
    fake.handler = (r) => ({ kind: 'completion', content: [`Réponse ${r.body?.messages?.length ?? 0} `, 'x'.repeat(2000)] });
    const admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
    await fetch(`${base}/api/admin/chat/coach-prompt`, {
      method: 'PUT',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ coachPrompt: 'Tu es Léa, coach en confiance amoureuse.' }),
    });
    const user = await signedInUser(t, { organizationId: org.id, plan: 'PREMIUM' });
    const post = async (payload: unknown) =>
      (await fetch(`${base}/api/chat/send`, { method: 'POST', headers: { ...user.headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) })).json();
    const first = await post({ message: 'Tour 0 ' + 'a'.repeat(2000) });
    for (let i = 1; i < 6; i++) await post({ sessionId: first.sessionId, message: `Tour ${i} ` + 'a'.repeat(2000) });

    const last = fake.requests.at(-1)!.body!.messages!;
    const system = last[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Tu es Léa, coach en confiance amoureuse.');
    for (const rule of COACH_RULES) expect(system.content).toContain(rule);
    expect(last.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/^Tour 5 /) });
    // Older turns were dropped (11 stored turns + the new one would not fit), newest kept.
    const tokens = last.reduce((sum, m) => sum + estimateTokens(String(m.content)), 0);
    expect(tokens).toBeLessThanOrEqual(DEFAULT_CONTEXT_BUDGET_TOKENS);
    expect(last.length).toBeLessThan(12);
    expect(last.length).toBeGreaterThan(2);
    expect(last[1]!.role).toBe('user');
    expect(last.some((m) => String(m.content).startsWith('Tour 0 '))).toBe(false);
    expect(last.some((m) => String(m.content).startsWith('Tour 4 '))).toBe(true);
  });
});
