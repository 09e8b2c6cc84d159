/**
 * The plugin's limits over real sockets, on scripted stages (no speech engines): the frame size
 * limit, sessions ended from outside through the registry, a refused start, the start/end hooks,
 * and a client that stops reading. Each test waits for events or closes, never for time.
 */
import type { Socket } from 'node:net';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testIdentity } from '../../../../tests/helpers/realtime-harness.js';
import { scriptedStages } from '../../../../tests/helpers/scripted-stages.js';
import { systemClock } from '../clock.js';
import type { SessionCloseReason } from './session-end.js';
import { RealtimeSessionRegistry } from './session-registry.js';
import type { RealtimeIdentity } from './stages.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, realtimeHandleProtocols, realtimePreClose, realtimeWebSocketServer, type RealtimeServerOptions } from './websocket-server.js';

interface Event {
  type: string;
  [key: string]: unknown;
}

/** token → identity: "user:credential". */
const authenticate = async (token: string): Promise<RealtimeIdentity | null> => {
  const [userId, credentialId] = token.split(':');
  return userId ? { ...testIdentity, userId, ...(credentialId ? { credentialId } : {}) } : null;
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function engine(options: Partial<RealtimeServerOptions> = {}, appRegistersWebsocket = false) {
  const fakes = scriptedStages(systemClock);
  app = Fastify();
  const registry = options.registry ?? new RealtimeSessionRegistry();
  if (appRegistersWebsocket) {
    await app.register(websocket, { options: { maxPayload: DEFAULT_MAX_PAYLOAD_BYTES, handleProtocols: realtimeHandleProtocols }, preClose: realtimePreClose(registry) });
  }
  await app.register(realtimeWebSocketServer, { stages: fakes.stages, authenticate, ...options, registry });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`;
  return { url, ...fakes };
}

/** A client whose events and close can be awaited. */
async function connect(url: string, token: string) {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  const events: Event[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as Event);
    wake?.();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => undefined);
  const waitFor = async (type: string): Promise<Event> => {
    for (;;) {
      const found = events.find((e) => e.type === type);
      if (found) return found;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', () => reject(new Error('refused')));
  });
  return { ws, events, closed, waitFor, send: (e: object) => ws.send(JSON.stringify(e)) };
}

describe('the realtime WebSocket plugin: limits and the app\'s hooks', () => {
  it(`a client frame over ${DEFAULT_MAX_PAYLOAD_BYTES} bytes closes the socket (1009)`, async () => {
    const { url } = await engine();
    const client = await connect(url, 'u1');
    await client.waitFor('session.created');
    client.ws.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: 'A'.repeat(DEFAULT_MAX_PAYLOAD_BYTES) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('the registry ends sessions by credential or by user: the error event, then the close code', async () => {
    const registry = new RealtimeSessionRegistry();
    const { url } = await engine({ registry });
    const [a1, a2, b] = await Promise.all([connect(url, 'alice:c1'), connect(url, 'alice:c2'), connect(url, 'bob:c3')]);
    await Promise.all([a1, a2, b].map((c) => c.waitFor('session.created')));
    expect(registry.size).toBe(3);
    expect(registry.list({ userId: 'alice' }).map((s) => s.credentialId).sort()).toEqual(['c1', 'c2']);

    expect(registry.endWhere({ credentialId: 'c1' }, 'credential_revoked')).toBe(1);
    expect(await a1.closed).toEqual({ code: 4403, reason: 'credential_revoked' });
    expect(a1.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'credential_revoked' } });

    expect(registry.endWhere({ userId: 'alice' }, 'quota_exhausted', 'No voice minutes left this month.')).toBe(1);
    expect(await a2.closed).toEqual({ code: 4402, reason: 'quota_exhausted' });
    expect(a2.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'quota_exhausted', message: 'No voice minutes left this month.' } });

    expect(registry.list().map((s) => s.userId)).toEqual(['bob']);
    b.ws.close(1000);
    await b.closed;
    await expect.poll(() => registry.size).toBe(0);
  });

  it('mayStart refuses: the client gets the error, then the close; onSessionStart/End never run', async () => {
    const hooks: string[] = [];
    const { url } = await engine({
      mayStart: (identity) => (identity.credentialId === 'used' ? { ok: false, code: 'credential_already_used', message: 'One session per credential.' } : { ok: true }),
      onSessionStart: () => hooks.push('start'),
      onSessionEnd: () => hooks.push('end'),
    });
    const client = await connect(url, 'alice:used');
    expect(await client.closed).toEqual({ code: 4403, reason: 'session_refused' });
    expect(client.events).toMatchObject([{ type: 'error', error: { code: 'credential_already_used', message: 'One session per credential.' } }]);
    expect(hooks).toEqual([]);
  });

  it('onSessionStart and onSessionEnd (with the duration in ms) for metering', async () => {
    const started: string[] = [];
    const ended: Array<{ sessionId: string; userId: string; durationMs: number; reason: SessionCloseReason }> = [];
    const { url } = await engine({
      onSessionStart: ({ sessionId }) => started.push(sessionId),
      onSessionEnd: ({ sessionId, identity, durationMs, reason }) => ended.push({ sessionId, userId: identity.userId, durationMs, reason }),
    });
    const client = await connect(url, 'alice:c1');
    const created = await client.waitFor('session.created');
    const sessionId = (created.session as { id: string }).id;
    expect(started).toEqual([sessionId]);
    client.ws.close(1000);
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0]).toMatchObject({ sessionId, userId: 'alice', reason: 'client_closed' });
    expect(ended[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a client that stops reading is closed as a slow consumer; what the server holds for it stays bounded', async () => {
    const ended: SessionCloseReason[] = [];
    const maxBufferedBytes = 256 * 1024;
    const { url, tts, llm } = await engine({ limits: { maxBufferedBytes }, onSessionEnd: ({ reason }) => ended.push(reason) });
    // A long reply: 20 sentences of 30 s of audio each (~1.9 MB of events per sentence).
    tts.msPerChar = 1_000;
    llm.reply({ text: Array.from({ length: 20 }, (_, i) => `Sentence number ${i} of a long answer.`).join(' ') });
    const client = await connect(url, 'alice:c1');
    await client.waitFor('session.created');
    (client.ws as unknown as { _socket: Socket })._socket.pause();
    client.send({ type: 'response.create' });
    await expect.poll(() => ended, { timeout: 60_000 }).toEqual(['slow_consumer']);
    // It stopped before the end of the reply.
    expect(tts.requests.length).toBeLessThan(20);
    (client.ws as unknown as { _socket: Socket })._socket.resume();
    await client.closed;
  }, 120_000);

  it.each([false, true])('closing the server ends every session with server_shutdown (1001) — @fastify/websocket registered by the app (with realtimePreClose): %s', async (appRegistersWebsocket) => {
    const { url } = await engine({}, appRegistersWebsocket);
    const client = await connect(url, 'alice:c1');
    await client.waitFor('session.created');
    await app!.close();
    app = undefined;
    expect(await client.closed).toEqual({ code: 1001, reason: 'server_shutdown' });
    expect(client.events.at(-1)).toMatchObject({ type: 'error', error: { code: 'server_shutdown' } });
  });
});
