import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { creditLedger, creditReservations } from '../../src/features/chat/tables.js';
import { llmUsage } from '../../src/features/ai/tables.js';
import { startFakeOpenAi, splitWords, type FakeOpenAiServer } from '../fakes/openai-server.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * Credit exactness under concurrency, on PGlite and (api-postgres) on real PostgreSQL, where the
 * 50 sends really run in parallel on a pool of connections.
 */
describe(`credits under concurrency (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_AI_PER_MINUTE: '10000', RATE_LIMIT_GLOBAL_PER_MINUTE: '10000' });
  });
  afterAll(() => t.close());

  it('with 5 credits left and 50 simultaneous sends, exactly 5 succeed and 45 get 402', async () => {
    const org = await makeOrganization(t.ctx);
    const user = await signedInUser(t, { organizationId: org.id });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: `Message ${i} : je doute de moi` } }),
      ),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 402)).toHaveLength(45);
    const remaining = responses.filter((r) => r.statusCode === 200).map((r) => r.json().remainingCredits as number);
    expect(remaining.sort()).toEqual([0, 1, 2, 3, 4]);

    const db = t.ctx.database.db;
    const entries = await db.select().from(creditLedger).where(eq(creditLedger.userId, user.user.id));
    expect(entries.filter((e) => e.kind === 'spend')).toHaveLength(5);
    expect(entries.filter((e) => e.kind === 'grant')).toHaveLength(1);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    // No hold is left behind, and only 5 AI calls were made.
    expect(await db.select().from(creditReservations).where(eq(creditReservations.userId, user.user.id))).toHaveLength(0);
    // Metering is written in the background, in batches (it never delays a reply): wait for it.
    await vi.waitFor(async () => {
      const [calls] = await db.select({ n: sql<string>`count(*)` }).from(llmUsage).where(eq(llmUsage.userId, user.user.id));
      expect(Number(calls!.n)).toBe(5);
    });
    const stats = (await t.app.inject({ method: 'GET', url: '/api/user/stats', headers: user.headers })).json().stats;
    expect(stats).toMatchObject({ totalChats: 5, totalMessages: 10, remainingCredits: 0 });
  });

  it('concurrent sends into one session keep every message, in order pairs', async () => {
    const org = await makeOrganization(t.ctx);
    const user = await signedInUser(t, { organizationId: org.id, plan: 'PREMIUM' });
    const first = await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: 'Début' } });
    const sessionId = first.json().sessionId as string;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { sessionId, message: `Suite ${i}` } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const session = (await t.app.inject({ method: 'GET', url: `/api/chat/sessions/${sessionId}`, headers: user.headers })).json().session;
    expect(session.messageCount).toBe(22);
    expect(session.messages).toHaveLength(22);
  });
});

describe(`a slow AI: holds stop a 6th call from starting (${testDbKind()})`, () => {
  let fake: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    fake.handler = () => ({ kind: 'completion', content: splitWords('Je vous entends. Quelle petite étape pourriez-vous tenter ?'), chunkDelayMs: 20 });
    t = await createTestApp({
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test',
      AI_FALLBACK: 'none',
      LLM_MAX_RETRIES: '0',
      RATE_LIMIT_AI_PER_MINUTE: '10000',
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('20 simultaneous sends with 5 credits: 5 AI calls, 5 replies, 15 × 402', async () => {
    const org = await makeOrganization(t.ctx);
    const user = await signedInUser(t, { organizationId: org.id });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: 'Bonjour' } })),
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.statusCode === 402)).toHaveLength(15);
    expect(fake.requests).toHaveLength(5);
  });

  it('a failed AI call charges nothing and saves nothing (503, the hold is released)', async () => {
    const org = await makeOrganization(t.ctx);
    const user = await signedInUser(t, { organizationId: org.id });
    fake.enqueue({ kind: 'error', status: 500 });
    const failed = await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: 'Bonjour' } });
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(JSON.stringify(failed.json())).not.toMatch(/stack|127\.0\.0\.1|sk-test/);
    const stats = (await t.app.inject({ method: 'GET', url: '/api/user/stats', headers: user.headers })).json().stats;
    expect(stats).toMatchObject({ totalChats: 0, totalMessages: 0, remainingCredits: 5, status: 'ACTIVE' });
    expect(await t.ctx.database.db.select().from(creditReservations).where(eq(creditReservations.userId, user.user.id))).toHaveLength(0);
    expect((await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: 'Bonjour' } })).json().remainingCredits).toBe(4);
  });
});
