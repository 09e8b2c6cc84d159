/**
 * Voice minutes through the real app (docs/voice.md#voice-minutes): minting answers 402 like the
 * chat when the month is used up; sessions of the self-hosted engine hold their time before they
 * start, renew it a lease (60 s) at a time, are told and closed (`quota_exhausted`, 4402) when it
 * runs out, and record the seconds they used. The engine runs on a manual clock: the test moves
 * time, nothing waits for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { VoiceUsageResponse } from '../../src/shared/api/voice.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

interface Event { type: string; [key: string]: unknown }
type Member = Awaited<ReturnType<typeof signedInUser>>;

async function openRealtime(url: string, secret: string) {
  const ws = new WebSocket(url, ['realtime', `openai-insecure-api-key.${secret}`]);
  const events: Event[] = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as Event));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (type: string): Promise<Event> => {
    await expect.poll(() => events.some((e) => e.type === type), { timeout: 30_000, interval: 50 }).toBe(true);
    return events.find((e) => e.type === type)!;
  };
  return { ws, events, waitFor, closed, send: (e: object) => ws.send(JSON.stringify(e)) };
}

describe('voice minutes', () => {
  const clock = new ManualClock();
  let t: TestApp;
  let org: { id: string };
  let admin: Member;
  let url: string;

  beforeAll(async () => {
    // FREE 1 minute, BASIC 2 minutes, PREMIUM unlimited.
    t = await createTestApp({ VOICE_PROVIDER: 'local', VOICE_MINUTES_FREE: '1', VOICE_MINUTES_BASIC: '2', VOICE_MINUTES_PREMIUM: 'unlimited' }, { realtimeClock: clock });
    org = await makeOrganization(t.ctx);
    admin = await signedInUser(t, { organizationId: org.id, role: 'admin' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`;
  }, 60_000);
  afterAll(() => t.close());

  const mint = (member: Member, payload: object = {}) => t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: member.headers, payload });
  const secret = async (member: Member): Promise<string> => {
    const res = await mint(member);
    expect(res.statusCode).toBe(201);
    return (res.json() as { clientSecret: string }).clientSecret;
  };
  const usage = async (member: Member, userId?: string): Promise<VoiceUsageResponse> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/voice/usage${userId ? `?userId=${userId}` : ''}`, headers: member.headers });
    expect(res.statusCode).toBe(200);
    return res.json() as VoiceUsageResponse;
  };
  const sessionIdOf = async (rt: Awaited<ReturnType<typeof openRealtime>>) => ((await rt.waitFor('session.created')).session as { id: string }).id;
  const row = (member: Member, sessionId: string) => t.ctx.services.voiceMinutes.sessionRow({ userId: member.user.id, organizationId: org.id }, sessionId);

  it('a session records the seconds it lasted, rounded up; the month shows them', async () => {
    const member = await signedInUser(t, { organizationId: org.id, plan: 'BASIC' });
    expect((await usage(member)).minutes).toMatchObject({ plan: 'BASIC', allowanceSeconds: 120, usedSeconds: 0, remainingSeconds: 120, status: 'ACTIVE' });
    const rt = await openRealtime(url, await secret(member));
    const sessionId = await sessionIdOf(rt);
    // While it runs, it holds its first lease.
    expect(await row(member, sessionId)).toMatchObject({ grantedSeconds: 60, seconds: null, endedAt: null });
    await clock.advance(12_300);
    rt.ws.close(1000);
    await rt.closed;
    await expect.poll(async () => (await usage(member)).sessions[0]?.endedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const view = await usage(member);
    expect(view.minutes).toMatchObject({ usedSeconds: 13, remainingSeconds: 107, status: 'ACTIVE' });
    expect(view.sessions).toEqual([expect.objectContaining({ sessionId, kind: 'coach', seconds: 13, endReason: 'client_closed' })]);
  }, 60_000);

  it('renews the lease while time is left, then tells the client and closes at the allowance (quota_exhausted, 4402)', async () => {
    const member = await signedInUser(t, { organizationId: org.id, plan: 'BASIC' });
    const rt = await openRealtime(url, await secret(member));
    const sessionId = await sessionIdOf(rt);
    await clock.advance(60_000);
    // The first lease is over: a second one is held (the month has 120 s).
    await expect.poll(async () => (await row(member, sessionId))?.grantedSeconds, { timeout: 10_000 }).toBe(120);
    expect(rt.events.some((e) => e.type === 'error')).toBe(false);
    // Client activity, so the idle timeout (2 min) does not end the session first.
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Still here' }] } });
    await rt.waitFor('conversation.item.done');
    await clock.advance(60_000);
    const error = await rt.waitFor('error');
    expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'quota_exhausted' });
    expect(await rt.closed).toBe(4402);
    await expect.poll(async () => (await row(member, sessionId))?.endReason ?? null, { timeout: 10_000 }).toBe('quota_exhausted');
    expect(await row(member, sessionId)).toMatchObject({ grantedSeconds: 120, seconds: 120 });
    expect((await usage(member)).minutes).toMatchObject({ usedSeconds: 120, remainingSeconds: 0, status: 'NO_CREDITS' });
  }, 60_000);

  it('allowance spent: minting answers 402 NO_CREDITS with the body the chat answers', async () => {
    const member = await signedInUser(t, { organizationId: org.id });
    const minutes = t.ctx.services.voiceMinutes;
    const who = { userId: member.user.id, organizationId: org.id };
    expect(await minutes.begin(who, { sessionId: 'spent-1', kind: 'coach' })).toEqual({ grantedSeconds: 60 });
    expect(await minutes.finish(who, 'spent-1', { durationMs: 75_000, reason: 'client_closed' })).toBe(60);

    const voice = await mint(member);
    expect(voice.statusCode).toBe(402);
    // The chat's 402 for the same member, its credits taken away by an admin.
    const adjust = await t.app.inject({ method: 'POST', url: `/api/admin/users/${member.user.id}/credits/adjust`, headers: admin.headers, payload: { amount: -5, reason: 'test' } });
    expect(adjust.statusCode).toBe(200);
    const chat = await t.app.inject({ method: 'POST', url: '/api/chat/send', headers: member.headers, payload: { message: 'Bonjour' } });
    expect(chat.statusCode).toBe(402);
    const [v, c] = [voice.json() as Record<string, unknown>, chat.json() as Record<string, unknown>];
    expect(Object.keys(v).sort()).toEqual(Object.keys(c).sort());
    expect({ error: v.error, code: v.code }).toEqual({ error: c.error, code: c.code });
    expect(v).toEqual({ error: 'Crédits insuffisants', code: 'NO_CREDITS', message: 'Vous avez épuisé vos minutes de voix. Passez à un abonnement supérieur pour continuer.' });

    // Through an organization API key acting for the member, too; an admin's own minutes are theirs.
    const { key } = await t.ctx.services.apiKeys.create({ organizationId: org.id, name: 'embed' });
    const viaKey = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: { authorization: `Bearer ${key}` }, payload: { userId: member.user.id } });
    expect(viaKey.statusCode).toBe(402);
    expect((await mint(admin)).statusCode).toBe(201);

    // Upgrading takes effect at once: BASIC's 2 minutes minus the minute used.
    const upgrade = await t.app.inject({ method: 'PATCH', url: `/api/users/${member.user.id}`, headers: admin.headers, payload: { plan: 'BASIC' } });
    expect(upgrade.statusCode).toBe(200);
    expect((await usage(member)).minutes).toMatchObject({ plan: 'BASIC', usedSeconds: 60, remainingSeconds: 60 });
    expect((await mint(member)).statusCode).toBe(201);
  });

  it('a credential minted before the month ran out cannot start a session after: refused at start with quota_exhausted', async () => {
    const member = await signedInUser(t, { organizationId: org.id });
    const credential = await secret(member);
    const who = { userId: member.user.id, organizationId: org.id };
    await t.ctx.services.voiceMinutes.begin(who, { sessionId: 'elsewhere', kind: 'coach' });
    const rt = await openRealtime(url, credential);
    const error = await rt.waitFor('error');
    expect(error.error).toMatchObject({ code: 'quota_exhausted' });
    expect(await rt.closed).toBe(4402);
    expect(rt.events.some((e) => e.type === 'session.created')).toBe(false);
  }, 60_000);

  it('two sessions at once share the allowance: both end at it, and together they record exactly the allowance', async () => {
    const member = await signedInUser(t, { organizationId: org.id, plan: 'BASIC' });
    const [a, b] = await Promise.all([secret(member), secret(member)]);
    const sessions = await Promise.all([openRealtime(url, a), openRealtime(url, b)]);
    const ids = await Promise.all(sessions.map(sessionIdOf));
    // The two hold the whole month (60 s each): no credential for a third.
    expect((await mint(member)).statusCode).toBe(402);
    await clock.advance(60_000);
    for (const rt of sessions) {
      expect((await rt.waitFor('error')).error).toMatchObject({ code: 'quota_exhausted' });
      expect(await rt.closed).toBe(4402);
    }
    await expect.poll(async () => (await usage(member)).sessions.filter((s) => s.endedAt !== null).length, { timeout: 10_000 }).toBe(2);
    const view = await usage(member);
    expect(view.sessions.map((s) => s.seconds)).toEqual([60, 60]);
    expect(new Set(view.sessions.map((s) => s.sessionId))).toEqual(new Set(ids));
    expect(view.minutes).toMatchObject({ usedSeconds: 120, remainingSeconds: 0, status: 'NO_CREDITS' });
    expect((await mint(member)).statusCode).toBe(402);
  }, 60_000);

  it('PREMIUM is unlimited: no lease, no timer, the seconds are still recorded', async () => {
    const member = await signedInUser(t, { organizationId: org.id, plan: 'PREMIUM' });
    const rt = await openRealtime(url, await secret(member));
    const sessionId = await sessionIdOf(rt);
    expect(await row(member, sessionId)).toMatchObject({ grantedSeconds: null });
    await clock.advance(90_000);
    expect(rt.events.some((e) => e.type === 'error')).toBe(false);
    rt.ws.close(1000);
    await rt.closed;
    await expect.poll(async () => (await row(member, sessionId))?.seconds ?? null, { timeout: 10_000 }).toBe(90);
    expect((await usage(member)).minutes).toMatchObject({ plan: 'PREMIUM', allowanceSeconds: null, usedSeconds: 90, remainingSeconds: null, status: 'ACTIVE' });
  }, 60_000);

  it('grants are exact under concurrency: with 120 s left, 12 sessions starting at once get 2 leases', async () => {
    const member = await signedInUser(t, { organizationId: org.id, plan: 'BASIC' });
    const minutes = t.ctx.services.voiceMinutes;
    const who = { userId: member.user.id, organizationId: org.id };
    const begun = await Promise.all(Array.from({ length: 12 }, (_, i) => minutes.begin(who, { sessionId: `race-${testDbKind()}-${i}`, kind: 'roleplay' })));
    const granted = begun.flatMap((lease, i) => (lease ? [i] : []));
    expect(granted).toHaveLength(2);
    expect(begun.filter(Boolean)).toEqual([{ grantedSeconds: 60 }, { grantedSeconds: 60 }]);
    // Both end at once, one after 45 s, one past its lease: 45 + 60 recorded, 15 s left.
    const [first, second] = granted.map((i) => `race-${testDbKind()}-${i}`) as [string, string];
    expect(await Promise.all([
      minutes.finish(who, first, { durationMs: 44_200, reason: 'client_closed' }),
      minutes.finish(who, second, { durationMs: 70_000, reason: 'idle_timeout' }),
    ])).toEqual([45, 60]);
    expect(await minutes.finish(who, first, { durationMs: 1_000, reason: 'client_closed' })).toBeNull();
    // The 15 s left go to exactly one of 8 concurrent starts, then renewals find nothing.
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => minutes.begin(who, { sessionId: `race2-${testDbKind()}-${i}`, kind: 'coach' })));
    expect(again.filter(Boolean)).toEqual([{ grantedSeconds: 15 }]);
    const holder = `race2-${testDbKind()}-${again.findIndex(Boolean)}`;
    expect(await minutes.extend(who, holder)).toEqual({ grantedSeconds: 15, extra: 0 });
    expect(await minutes.minutesOf(who)).toMatchObject({ usedSeconds: 120, remainingSeconds: 0 });
  });

  it('GET /api/voice/usage: your own; admins and API keys for a member of theirs; never another organization', async () => {
    const member = await signedInUser(t, { organizationId: org.id });
    const colleague = await signedInUser(t, { organizationId: org.id });
    expect((await usage(admin, member.user.id)).userId).toBe(member.user.id);
    const forbidden = await t.app.inject({ method: 'GET', url: `/api/voice/usage?userId=${colleague.user.id}`, headers: member.headers });
    expect(forbidden.statusCode).toBe(403);
    const other = await makeOrganization(t.ctx);
    const otherAdmin = await signedInUser(t, { organizationId: other.id, role: 'admin' });
    const outside = await t.app.inject({ method: 'GET', url: `/api/voice/usage?userId=${member.user.id}`, headers: otherAdmin.headers });
    expect(outside.statusCode).toBe(403);
    expect(outside.body).not.toContain(member.user.email);
    const bad = await t.app.inject({ method: 'GET', url: `/api/voice/usage?userId=${'x'.repeat(101)}`, headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('userId');
    expect((await t.app.inject({ method: 'GET', url: '/api/voice/usage' })).statusCode).toBe(401);
  });
});
