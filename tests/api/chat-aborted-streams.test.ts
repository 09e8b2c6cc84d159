import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatMessages, creditLedger, creditReservations } from '../../src/features/chat/tables.js';
import { startFakeOpenAi, splitWords, type FakeOpenAiServer } from '../fakes/openai-server.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;

/**
 * Credits of streamed replies the client aborts (issue 11): a reply that started streaming
 * costs its credit (its partial text is saved, marked incomplete); an abort before the first
 * delta costs nothing. On PostgreSQL the ten sends really run in parallel on a pool.
 */
describe(`credits of aborted streams (${testDbKind()})`, () => {
  let fake: FakeOpenAiServer;
  let t: TestApp;
  let base: string;
  let orgId: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await createTestApp({
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AI_FALLBACK: 'none',
      LLM_MAX_RETRIES: '0',
      RATE_LIMIT_AI_PER_MINUTE: '10000',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    orgId = (await makeOrganization(t.ctx)).id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const openStream = (who: Signed, message: string, signal: AbortSignal) =>
    fetch(`${base}/api/chat/send`, {
      method: 'POST',
      headers: { ...who.headers, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
      signal,
    });

  /** Reads the stream until its first `delta` event, then aborts the request (the tab closed). */
  async function abortAfterFirstDelta(who: Signed, message: string): Promise<string> {
    const controller = new AbortController();
    const res = await openStream(who, message, controller.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a delta: ${buffer}`);
      buffer += decoder.decode(value, { stream: true });
      const delta = /event: delta\ndata: (.*)\n\n/.exec(buffer);
      if (delta) {
        controller.abort();
        return (JSON.parse(delta[1]!) as { delta: string }).delta;
      }
    }
  }

  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const db = () => t.ctx.database.db;
  const spends = async (userId: string) => (await db().select().from(creditLedger).where(and(eq(creditLedger.userId, userId), eq(creditLedger.kind, 'spend'))));
  const holds = async (userId: string) => db().select().from(creditReservations).where(eq(creditReservations.userId, userId));
  const stats = async (who: Signed) => (await (await fetch(`${base}/api/user/stats`, { headers: who.headers })).json()).stats as { remainingCredits: number | null };

  it('ten streams aborted after their first delta spend exactly ten credits, each reply saved incomplete', async () => {
    fake.reset();
    // Three words, then the AI goes quiet: only the client's abort ends these replies.
    fake.handler = () => ({ kind: 'completion', content: splitWords('Je vous entends bien. Quelle petite étape pourriez-vous tenter ?'), stallAfterChunks: 3 });
    const user = await signedInUser(t, { organizationId: orgId, plan: 'BASIC' });
    const firstDeltas = await Promise.all(Array.from({ length: 10 }, (_, i) => abortAfterFirstDelta(user, `Question ${i}`)));
    expect(firstDeltas.every((d) => d.length > 0)).toBe(true);

    // Every upstream call was aborted, every hold turned into a spend or was dropped.
    await until(async () => (fake.disconnects === 10 ? true : undefined));
    const replies = await until(async () => {
      const rows = await db().select().from(chatMessages).where(and(eq(chatMessages.userId, user.user.id), eq(chatMessages.role, 'ASSISTANT')));
      return rows.length === 10 ? rows : undefined;
    });
    await until(async () => ((await holds(user.user.id)).length === 0 ? true : undefined));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill('incomplete'));
    expect(replies.every((r) => r.content.length > 0)).toBe(true);
    const spent = await spends(user.user.id);
    expect(spent).toHaveLength(10);
    expect(new Set(spent.map((s) => s.messageId))).toEqual(new Set(replies.map((r) => r.id)));
    expect((await stats(user)).remainingCredits).toBe(40);
  });

  it('a stream aborted before its first delta spends nothing and keeps only the question', async () => {
    fake.reset();
    // The AI never answers.
    fake.handler = () => ({ kind: 'stall' });
    const user = await signedInUser(t, { organizationId: orgId });
    const controller = new AbortController();
    const pending = openStream(user, 'Bonjour ?', controller.signal).catch(() => undefined);
    await until(async () => (fake.requests.length === 1 ? true : undefined));
    controller.abort();
    await pending;
    await fake.waitForDisconnect();
    await until(async () => ((await holds(user.user.id)).length === 0 ? true : undefined));
    const saved = await until(async () => {
      const rows = await db().select().from(chatMessages).where(eq(chatMessages.userId, user.user.id));
      return rows.length > 0 ? rows : undefined;
    });
    expect(saved.map((m) => [m.role, m.content])).toEqual([['USER', 'Bonjour ?']]);
    expect(await spends(user.user.id)).toHaveLength(0);
    expect((await stats(user)).remainingCredits).toBe(5);
  });
});
