import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { creditAccounts, creditLedger } from '../../src/features/chat/tables.js';
import { llmUsage } from '../../src/features/ai/tables.js';
import { createCreditLedger, periodOf } from '../../src/features/chat/credit-ledger.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let org: { id: string };
let admin: Signed;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_AI_PER_MINUTE: '1000' });
  org = await makeOrganization(t.ctx);
  admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
});
afterAll(() => t.close());

const send = (who: Signed, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/chat/send', headers: who.headers, payload });
const ledgerSum = async (userId: string) => {
  const [row] = await t.ctx.database.db
    .select({ total: sql<string>`coalesce(sum(${creditLedger.amount}), 0)` })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  return Number(row!.total);
};

describe('send', () => {
  it('creates a session titled from the first message, then continues it, one credit per reply', async () => {
    const user = await signedInUser(t, { organizationId: org.id });
    const first = await send(user, { userId: user.user.id, message: 'Comment aborder quelqu’un sans être lourd ?' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toEqual({
      sessionId: expect.any(String),
      userMessage: { id: expect.any(String), sessionId: body.sessionId, role: 'USER', content: 'Comment aborder quelqu’un sans être lourd ?', status: 'complete', createdAt: expect.any(String) },
      assistantMessage: { id: expect.any(String), sessionId: body.sessionId, role: 'ASSISTANT', content: expect.any(String), status: 'complete', createdAt: expect.any(String) },
      remainingCredits: 4,
    });
    expect(body.assistantMessage.content.length).toBeGreaterThan(10);
    const session = (await t.app.inject({ method: 'GET', url: `/api/chat/sessions/${body.sessionId}`, headers: user.headers })).json().session;
    expect(session.title).toBe('Comment aborder quelqu’un sans être lourd ?');

    const second = await send(user, { sessionId: body.sessionId, message: 'Et si on me dit non ?' });
    expect(second.json()).toMatchObject({ sessionId: body.sessionId, remainingCredits: 3 });
    const again = (await t.app.inject({ method: 'GET', url: `/api/chat/sessions/${body.sessionId}`, headers: user.headers })).json().session;
    expect(again.messageCount).toBe(4);
    expect(again.messages.map((m: { role: string }) => m.role)).toEqual(['USER', 'ASSISTANT', 'USER', 'ASSISTANT']);
    // Every reply went through the metered LLM layer.
    await vi.waitFor(async () => {
      const usage = await t.ctx.database.db.select().from(llmUsage).where(eq(llmUsage.userId, user.user.id));
      expect(usage.map((u) => u.feature)).toEqual(['chat', 'chat']);
    });
  });

  it('FREE: 5 replies, then 402 with the exact body, and nothing saved for the refused send', async () => {
    const user = await signedInUser(t, { organizationId: org.id });
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) remaining.push((await send(user, { message: `Question ${i}` })).json().remainingCredits);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const refused = await send(user, { message: 'Encore une ?' });
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toEqual({
      error: 'Crédits insuffisants',
      code: 'NO_CREDITS',
      message: 'Vous avez épuisé vos crédits de chat. Passez à un abonnement supérieur pour continuer.',
    });
    const history = (await t.app.inject({ method: 'GET', url: '/api/chat/history', headers: user.headers })).json();
    expect(history.stats).toEqual({ totalSessions: 5, totalMessages: 10 });
    const stats = (await t.app.inject({ method: 'GET', url: '/api/user/stats', headers: user.headers })).json();
    expect(stats.stats).toEqual({ totalChats: 5, totalMessages: 10, remainingCredits: 0, plan: 'FREE', status: 'NO_CREDITS' });
    // Streaming clients get the same JSON 402 (checked before the stream starts).
    const sse = await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: { ...user.headers, accept: 'text/event-stream' }, payload: { message: 'hi' } });
    expect(sse.statusCode).toBe(402);
    expect(sse.json().code).toBe('NO_CREDITS');
  });

  it('BASIC has 50 a month; PREMIUM is unlimited (remainingCredits null)', async () => {
    const basic = await signedInUser(t, { organizationId: org.id, plan: 'BASIC' });
    expect((await send(basic, { message: 'Bonjour' })).json().remainingCredits).toBe(49);
    const premium = await signedInUser(t, { organizationId: org.id, plan: 'PREMIUM' });
    for (let i = 0; i < 3; i++) expect((await send(premium, { message: 'Bonjour' })).json().remainingCredits).toBeNull();
    const stats = (await t.app.inject({ method: 'GET', url: '/api/user/stats', headers: premium.headers })).json().stats;
    expect(stats).toMatchObject({ remainingCredits: null, plan: 'PREMIUM', status: 'ACTIVE' });
  });
});

describe('ledger', () => {
  it('explains the balance: grant, spends, plan change FREE→BASIC mid-month, admin adjustments', async () => {
    const user = await signedInUser(t, { organizationId: org.id });
    for (let i = 0; i < 3; i++) await send(user, { message: `Q${i}` });
    // Upgrade mid-month: effective at once, remaining = new quota − spends of the month.
    const upgrade = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.user.id}`, headers: admin.headers, payload: { plan: 'BASIC' } });
    expect(upgrade.statusCode).toBe(200);
    expect((await send(user, { message: 'Après upgrade' })).json().remainingCredits).toBe(46);

    const adjust = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${user.user.id}/credits/adjust`,
      headers: admin.headers,
      payload: { amount: -6, reason: 'Geste commercial annulé' },
    });
    expect(adjust.statusCode).toBe(200);
    expect(adjust.json()).toMatchObject({
      entry: { kind: 'adjust', amount: -6, reason: 'Geste commercial annulé', actorUserId: admin.user.id, plan: 'BASIC' },
      credits: { plan: 'BASIC', balance: 40, remaining: 40, reserved: 0, period: periodOf(new Date()) },
    });

    const view = await t.app.inject({ method: 'GET', url: `/api/admin/users/${user.user.id}/credits`, headers: admin.headers });
    expect(view.statusCode).toBe(200);
    const { credits, entries } = view.json() as { credits: { balance: number }; entries: { kind: string; amount: number }[] };
    expect(entries.map((e) => `${e.kind}:${e.amount}`).reverse()).toEqual(['grant:5', 'spend:-1', 'spend:-1', 'spend:-1', 'plan_change:45', 'spend:-1', 'adjust:-6']);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(credits.balance);
    expect(await ledgerSum(user.user.id)).toBe(40);

    // Downgrade BASIC→FREE: 5 − 4 spends − 6 adjusted = −5 → 0 remaining, and the ledger still adds up.
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.user.id}`, headers: admin.headers, payload: { plan: 'FREE' } });
    const stats = (await t.app.inject({ method: 'GET', url: '/api/user/stats', headers: user.headers })).json().stats;
    expect(stats).toMatchObject({ plan: 'FREE', remainingCredits: 0, status: 'NO_CREDITS' });
    expect(await ledgerSum(user.user.id)).toBe(-5);
    const [account] = await t.ctx.database.db.select().from(creditAccounts).where(eq(creditAccounts.userId, user.user.id));
    expect(account!.balance).toBe(-5);
    expect((await send(user, { message: 'hi' })).statusCode).toBe(402);

    // A refund of 6 brings one credit back.
    const refund = await t.app.inject({ method: 'POST', url: `/api/admin/users/${user.user.id}/credits/adjust`, headers: admin.headers, payload: { amount: 6, reason: 'Bug', kind: 'refund' } });
    expect(refund.json().credits.remaining).toBe(1);
    expect((await send(user, { message: 'hi' })).json().remainingCredits).toBe(0);
  });

  it('a plan change while a reply is being written: the reply is charged on the new plan, and the ledger adds up', async () => {
    const user = await signedInUser(t, { organizationId: org.id });
    const first = await send(user, { message: 'Bonjour' });
    const sessionId = first.json().sessionId as string;
    // The credit is held (prepare), then the plan changes before the reply is saved (run).
    const prepared = await t.ctx.services.chat.sendMessage.prepare({ organizationId: org.id, userId: user.user.id, sessionId, message: 'Et maintenant ?' });
    const upgrade = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.user.id}`, headers: admin.headers, payload: { plan: 'BASIC' } });
    expect(upgrade.statusCode).toBe(200);
    const result = await prepared.run();
    // BASIC quota 50 − 2 replies of the month.
    expect(result.remainingCredits).toBe(48);
    const entries = (await t.ctx.services.chat.credits.entries(user.user.id)).map((e) => `${e.kind}:${e.amount}`).reverse();
    expect(entries).toEqual(['grant:5', 'spend:-1', 'plan_change:45', 'spend:-1']);
    expect(await ledgerSum(user.user.id)).toBe(48);
    const session = (await t.app.inject({ method: 'GET', url: `/api/chat/sessions/${sessionId}`, headers: user.headers })).json().session;
    expect(session.messages.map((m: { content: string }) => m.content)).toContain('Et maintenant ?');
    expect(session.messageCount).toBe(4);
  });

  it('a new month grants the plan quota again (calendar month, UTC, no rollover)', async () => {
    const user = await signedInUser(t, { organizationId: org.id });
    let now = new Date('2026-01-31T23:59:00Z');
    const ledger = createCreditLedger(t.ctx.database, { now: () => now });
    // A hold in January (the first operation of the user writes January's grant), released.
    const hold = await ledger.holdIn(t.ctx.database.raw, user.user.id);
    expect(hold.id).not.toBeNull();
    await ledger.release(hold);
    expect(await ledger.state(user.user.id)).toMatchObject({ period: '2026-01', balance: 5, remaining: 5 });
    now = new Date('2026-02-01T00:00:30Z');
    expect(await ledger.state(user.user.id)).toMatchObject({ period: '2026-02', balance: 5, remaining: 5 });
    const grants = (await ledger.entries(user.user.id)).filter((e) => e.kind === 'grant').map((e) => e.period);
    expect(grants.sort()).toEqual(['2026-01', '2026-02']);
  });

  it('admin endpoints: admin-only, same organization, validated', async () => {
    const member = await signedInUser(t, { organizationId: org.id });
    const url = `/api/admin/users/${member.user.id}/credits`;
    expect((await t.app.inject({ method: 'GET', url, headers: member.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `${url}/adjust`, headers: member.headers, payload: { amount: 100, reason: 'me' } })).statusCode).toBe(403);
    const other = await makeOrganization(t.ctx);
    const otherAdmin = await signedInUser(t, { organizationId: other.id, role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url, headers: otherAdmin.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `${url}/adjust`, headers: otherAdmin.headers, payload: { amount: 5, reason: 'x' } })).statusCode).toBe(404);
    for (const [payload, field] of [
      [{ amount: 0, reason: 'x' }, 'amount'],
      [{ amount: 1.5, reason: 'x' }, 'amount'],
      [{ amount: 3 }, 'reason'],
      [{ amount: -3, reason: 'x', kind: 'refund' }, 'amount'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: `${url}/adjust`, headers: admin.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toContain(field);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users/nope/credits', headers: admin.headers })).statusCode).toBe(404);
  });
});

describe('coach prompt', () => {
  it('admins set the organization prompt; members cannot', async () => {
    const member = await signedInUser(t, { organizationId: org.id });
    expect((await t.app.inject({ method: 'PUT', url: '/api/admin/chat/coach-prompt', headers: member.headers, payload: { coachPrompt: 'x' } })).statusCode).toBe(403);
    const initial = await t.app.inject({ method: 'GET', url: '/api/admin/chat/coach-prompt', headers: admin.headers });
    expect(initial.json()).toEqual({ coachPrompt: null, updatedAt: null });
    const set = await t.app.inject({ method: 'PUT', url: '/api/admin/chat/coach-prompt', headers: admin.headers, payload: { coachPrompt: 'Tu es Léa, coach bienveillante.' } });
    expect(set.json()).toMatchObject({ coachPrompt: 'Tu es Léa, coach bienveillante.' });
    const tooLong = await t.app.inject({ method: 'PUT', url: '/api/admin/chat/coach-prompt', headers: admin.headers, payload: { coachPrompt: 'x'.repeat(4001) } });
    expect(tooLong.statusCode).toBe(400);
    const reset = await t.app.inject({ method: 'PUT', url: '/api/admin/chat/coach-prompt', headers: admin.headers, payload: { coachPrompt: null } });
    expect(reset.json().coachPrompt).toBeNull();
  });
});

describe('rate limit', () => {
  it('limits sends per minute with RATE_LIMIT_AI_PER_MINUTE', async () => {
    const limited = await createTestApp({ RATE_LIMIT_AI_PER_MINUTE: '2' });
    try {
      const o = await makeOrganization(limited.ctx);
      const user = await signedInUser(limited, { organizationId: o.id, plan: 'PREMIUM' });
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/api/chat/send', headers: user.headers, payload: { message: 'hi' } })).statusCode);
      expect(codes).toEqual([200, 200, 429]);
      // Other chat endpoints are not under the AI limit.
      expect((await limited.app.inject({ method: 'GET', url: '/api/chat/sessions', headers: user.headers })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
