/**
 * The app's realtime wiring end to end over a real socket: a local voice credential from
 * POST /api/voice/sessions opens /v1/realtime (subprotocol auth), a typed turn is answered by the
 * real stages, and the transcript lands in the conversation store under the session id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

interface Event { type: string; [key: string]: unknown }

async function openRealtime(url: string, secret: string) {
  const ws = new WebSocket(url, ['realtime', `openai-insecure-api-key.${secret}`]);
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as Event);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (type: string, timeoutMs = 20_000): Promise<Event> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find((e) => e.type === type);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type}; got ${events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { ws, events, waitFor, closed, send: (e: object) => ws.send(JSON.stringify(e)) };
}

describe('realtime engine wired into the app', () => {
  let t: TestApp;
  let user: Awaited<ReturnType<typeof signedInUser>>;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ VOICE_PROVIDER: 'local' });
    const org = await makeOrganization(t.ctx);
    user = await signedInUser(t, { organizationId: org.id });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`;
  }, 60_000);
  afterAll(() => t.close());

  const credential = async (): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: { voice: 'alloy' } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { clientSecret: string }).clientSecret;
  };

  const transcript = async (id: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: user.headers });
    expect(res.statusCode).toBe(200);
    return res.json() as { conversation: { status: string; kind: string; userId: string }; items: { role: string; text: string }[] };
  };

  it('refuses a token that is not a voice credential', async () => {
    await expect(openRealtime(base, user.accessToken).then((c) => c.closed)).resolves.toBe(4401);
  });

  it('saves a typed turn and its reply, then ends the conversation completed on a clean close', async () => {
    const rt = await openRealtime(base, await credential());
    const created = await rt.waitFor('session.created');
    const sessionId = (created.session as { id: string }).id;
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello coach, can you help me prepare an interview?' }] } });
    rt.send({ type: 'response.create' });
    await rt.waitFor('response.done', 30_000);
    expect(rt.events.some((e) => e.type === 'response.output_audio.delta')).toBe(true);
    rt.ws.close(1000);
    await rt.closed;
    await expect.poll(async () => (await transcript(sessionId)).conversation.status, { timeout: 5_000 }).toBe('completed');
    const { conversation, items } = await transcript(sessionId);
    expect(conversation).toMatchObject({ kind: 'coach', userId: user.user.id });
    expect(items.map((i) => i.role)).toEqual(['user', 'assistant']);
    expect(items[0]!.text).toContain('interview');
    expect(items[1]!.text.length).toBeGreaterThan(0);
  }, 60_000);

  it('an API key credential for a member, with a kind: the transcript is theirs, of that kind', async () => {
    const { key } = await t.ctx.services.apiKeys.create({ organizationId: user.user.organizationId, name: 'kiosk embed' });
    const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: { authorization: `Bearer ${key}` }, payload: { kind: 'kiosk', userId: user.user.id } });
    expect(res.statusCode).toBe(201);
    const rt = await openRealtime(base, (res.json() as { clientSecret: string }).clientSecret);
    const sessionId = ((await rt.waitFor('session.created')).session as { id: string }).id;
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Where are the lockers?' }] } });
    rt.send({ type: 'response.create' });
    await rt.waitFor('response.done', 30_000);
    rt.ws.close(1000);
    await rt.closed;
    await expect.poll(async () => (await transcript(sessionId)).conversation.status, { timeout: 5_000 }).toBe('completed');
    expect((await transcript(sessionId)).conversation).toMatchObject({ kind: 'kiosk', userId: user.user.id });
    // The organization's key sees it too.
    const viaKey = await t.app.inject({ method: 'GET', url: `/api/conversations/${sessionId}`, headers: { authorization: `Bearer ${key}` } });
    expect(viaKey.statusCode).toBe(200);
  }, 60_000);

  it('ends the conversation interrupted when the socket drops', async () => {
    const rt = await openRealtime(base, await credential());
    const sessionId = ((await rt.waitFor('session.created')).session as { id: string }).id;
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi there' }] } });
    await rt.waitFor('conversation.item.done');
    rt.ws.terminate();
    await expect.poll(async () => (await transcript(sessionId)).conversation.status, { timeout: 5_000 }).toBe('interrupted');
  }, 60_000);
});
