/**
 * The documented frame limit of /v1/realtime (docs/realtime-engine.md: 1 MiB) is the one the app
 * enforces: a frame of exactly DEFAULT_MAX_PAYLOAD_BYTES is read (and answered), one byte more
 * closes the socket with 1009.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../src/providers/voice/realtime/websocket-server.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let user: Awaited<ReturnType<typeof signedInUser>>;
let url: string;
beforeAll(async () => {
  t = await createTestApp({ VOICE_PROVIDER: 'local' });
  user = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`;
}, 60_000);
afterAll(() => t.close());

/** An append frame of exactly `bytes` bytes (its audio is valid base64). */
function appendFrame(bytes: number): string {
  const room = bytes - JSON.stringify({ type: 'input_audio_buffer.append', event_id: '', audio: '' }).length;
  const audio = 'A'.repeat(Math.floor(room / 4) * 4);
  const frame = JSON.stringify({ type: 'input_audio_buffer.append', event_id: 'x'.repeat(room - audio.length), audio });
  expect(Buffer.byteLength(frame)).toBe(bytes);
  return frame;
}

async function connect() {
  const res = await t.app.inject({ method: 'POST', url: '/api/voice/sessions', headers: user.headers, payload: {} });
  expect(res.statusCode).toBe(201);
  const ws = new WebSocket(url, ['realtime', `openai-insecure-api-key.${(res.json() as { clientSecret: string }).clientSecret}`]);
  const events: { type: string; error?: { code?: string } }[] = [];
  let notify = () => undefined as void;
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as { type: string });
    notify();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = async (type: string) => {
    while (!events.some((e) => e.type === type)) await new Promise<void>((resolve) => (notify = resolve));
    return events.find((e) => e.type === type)!;
  };
  await next('session.created');
  return { ws, events, closed, next };
}

it(`reads a frame of ${DEFAULT_MAX_PAYLOAD_BYTES} bytes, and closes the socket (1009) on one byte more`, async () => {
  const at = await connect();
  at.ws.send(appendFrame(DEFAULT_MAX_PAYLOAD_BYTES));
  // Read and answered by the session (its audio is over the append limit), the socket stays open.
  expect((await at.next('error')).error?.code).toBe('audio_chunk_too_large');
  expect(at.ws.readyState).toBe(WebSocket.OPEN);
  at.ws.close();
  await at.closed;

  const over = await connect();
  over.ws.send(appendFrame(DEFAULT_MAX_PAYLOAD_BYTES + 1));
  expect(await over.closed).toBe(1009);
}, 120_000);
