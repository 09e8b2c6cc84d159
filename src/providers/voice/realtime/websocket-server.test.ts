/**
 * The engine over real sockets: auth (header, subprotocol), an audio turn end to end over `ws`,
 * and the official `openai` SDK's realtime client connecting over TLS (wss) with a throwaway
 * self-signed certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appendChunks, silence24k, speak24k } from '../../../../tests/helpers/realtime-audio.js';
import { EventLog, testIdentity } from '../../../../tests/helpers/realtime-harness.js';
import { realStages } from '../../../../tests/helpers/real-stages.js';
import { speechAudioFactory, type SpeechAudioFactory } from '../../../../tests/helpers/speech-audio.js';
import { wordErrorRate } from '../../../../tests/helpers/wer.js';
import type { ServerEvent } from '../../../shared/realtime-protocol.js';
import type { RealtimeStages } from './stages.js';
import { MemoryTranscriptSink } from './transcript.js';
import { CLOSE_UNAUTHORIZED, realtimeWebSocketServer } from './websocket-server.js';

const TOKEN = 'rt-test-token';
const SENTENCE = 'Good morning. Is there a yoga class tomorrow evening?';

let stages: RealtimeStages & { close(): Promise<void> };
let audio: SpeechAudioFactory;
let clip: Int16Array;
const sinks: MemoryTranscriptSink[] = [];

async function startEngine(https?: { key: Buffer; cert: Buffer }): Promise<{ app: FastifyInstance; port: number }> {
  // An https server types differently; the plugin only needs the common FastifyInstance surface.
  const app = (https ? Fastify({ https }) : Fastify()) as unknown as FastifyInstance;
  await app.register(realtimeWebSocketServer, {
    stages,
    authenticate: async (token: string) => (token === TOKEN ? testIdentity : null),
    createSink: () => {
      const sink = new MemoryTranscriptSink();
      sinks.push(sink);
      return sink;
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, port: typeof address === 'object' && address ? address.port : 0 };
}

beforeAll(async () => {
  audio = await speechAudioFactory();
  [stages, clip] = await Promise.all([realStages(), speak24k(audio, SENTENCE, 500)]);
}, 120_000);
afterAll(async () => {
  await stages?.close();
  await audio?.cleanup();
});

/** The audio of a spoken turn, then silence so the VAD closes it. */
const turnAudio = () => [...appendChunks(clip), ...appendChunks(silence24k(1200))];

function expectSpokenTurn(log: EventLog): void {
  const types = log.types();
  const transcript = log.of('conversation.item.input_audio_transcription.completed')[0]!;
  expect(wordErrorRate(SENTENCE, transcript.transcript)).toBeLessThanOrEqual(0.4);
  const started = log.of('input_audio_buffer.speech_started')[0]!;
  const stopped = log.of('input_audio_buffer.speech_stopped')[0]!;
  // Speech starts after the 0.5 s of leading silence (minus the 300 ms prefix padding).
  expect(started.audio_start_ms).toBeGreaterThan(100);
  expect(stopped.audio_end_ms).toBeGreaterThan(started.audio_start_ms + 1500);
  expect(log.of('input_audio_buffer.committed')[0]!.item_id).toBe(started.item_id);
  expect(transcript.item_id).toBe(started.item_id);
  // The reply starts at commit; the transcript of the turn that caused it completes afterwards.
  expect(types.indexOf('input_audio_buffer.committed')).toBeLessThan(types.indexOf('response.created'));
  expect(types.indexOf('response.created')).toBeLessThan(types.indexOf('conversation.item.input_audio_transcription.completed'));
  expect(log.of('response.output_audio.delta').length).toBeGreaterThan(3);
  expect(log.of('response.done')[0]!.response.status).toBe('completed');
}

describe('GET /v1/realtime over ws', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    const started = await startEngine();
    app = started.app;
    url = `ws://127.0.0.1:${started.port}/v1/realtime?model=coachhub-local`;
  });
  afterAll(() => app?.close());

  const rejected = (socket: WebSocket) =>
    new Promise<number>((resolve, reject) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('opened')));
      socket.on('error', () => undefined);
    });

  it('rejects a missing or bad bearer token with 401 before the upgrade, a bad subprotocol key with 4401', async () => {
    expect(await rejected(new WebSocket(url))).toBe(401);
    expect(await rejected(new WebSocket(url, { headers: { Authorization: 'Bearer nope' } }))).toBe(401);
    const socket = new WebSocket(url, ['realtime', 'openai-insecure-api-key.nope']);
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(CLOSE_UNAUTHORIZED);
  });

  it('accepts the browser subprotocol key and echoes `realtime`', async () => {
    const socket = new WebSocket(url, ['realtime', `openai-insecure-api-key.${TOKEN}`]);
    const first = await new Promise<ServerEvent>((resolve) => socket.once('message', (d) => resolve(JSON.parse(String(d)) as ServerEvent)));
    expect(socket.protocol).toBe('realtime');
    expect(first).toMatchObject({ type: 'session.created', session: { model: 'coachhub-local' } });
    socket.close();
  });

  it('an audio turn end to end: VAD, commit, transcript, spoken reply; closing mid-reply is reported', async () => {
    const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const log = new EventLog();
    socket.on('message', (d) => log.push(JSON.parse(String(d)) as ServerEvent));
    await new Promise((resolve) => socket.once('open', resolve));
    for (const chunk of turnAudio()) socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: chunk }));
    await log.waitFor('response.done', () => true, 60_000);
    expectSpokenTurn(log);
    const sink = sinks.at(-1)!;
    await expect.poll(() => sink.items().map((i) => i.role), { timeout: 30_000 }).toEqual(['user', 'assistant']);
    expect(sink.items()[0]!.startMs).toBeLessThan(sink.items()[1]!.startMs);

    // A second turn, closed while the reply is being produced.
    socket.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And on Sunday?' }] } }));
    socket.send(JSON.stringify({ type: 'response.create' }));
    await log.waitFor('response.created', () => true, 60_000, 1);
    socket.close();
    await expect.poll(() => sink.closedWith, { timeout: 30_000 }).toBe('interrupted');
  }, 120_000);
});

describe('the official openai SDK (OpenAIRealtimeWS) over wss', () => {
  let app: FastifyInstance;
  let port: number;
  let cert: Buffer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coachhub-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'));
    ({ app, port } = await startEngine({ key: readFileSync(join(dir, 'key.pem')), cert }));
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one spoken turn: transcript and audio back', async () => {
    const client = new OpenAI({ apiKey: TOKEN, baseURL: `https://localhost:${port}/v1` });
    // Trust the throwaway certificate for this connection only (no global TLS switch).
    const rt = new OpenAIRealtimeWS({ model: 'coachhub-local', options: { ca: cert } }, client);
    const log = new EventLog();
    const errors: unknown[] = [];
    rt.on('event', (event) => log.push(event as ServerEvent));
    rt.on('error', (err) => errors.push(err));
    await new Promise((resolve, reject) => {
      rt.socket.once('open', resolve);
      rt.socket.once('error', reject);
    });
    expect(rt.url.protocol).toBe('wss:');
    rt.send({ type: 'session.update', session: { type: 'realtime', instructions: 'You are the FitClub kiosk.', audio: { output: { voice: 'coral' } } } });
    for (const chunk of turnAudio()) rt.send({ type: 'input_audio_buffer.append', audio: chunk });
    await log.waitFor('response.done', () => true, 60_000);
    expect(log.of('session.updated')[0]!.session).toMatchObject({ audio: { output: { voice: 'coral' } } });
    expectSpokenTurn(log);
    expect(errors).toEqual([]);
    rt.close();
  }, 120_000);
});
