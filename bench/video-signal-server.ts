/**
 * The child process of bench/video.ts: a signaling process only (Fastify + @fastify/websocket
 * + the hub, wired as in app.ts, in-process backplane), so its RSS is the signaling's own.
 */
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import pino from 'pino';
import { createBuiltinVideoProvider } from '../src/providers/video/builtin-provider.js';
import { roomTokenKey } from '../src/providers/video/room-token.js';
import { createMemoryBackplane } from '../src/features/video/signaling/backplane.js';
import { createSignalingHub } from '../src/features/video/signaling/signaling-hub.js';
import { signalingRoutes } from '../src/features/video/signaling/signaling-routes.js';
import { sessionRoomSpec } from '../src/providers/video/types.js';

const SECRET = process.argv[2]!;
const app = Fastify({ logger: false });
await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
const hub = createSignalingHub({ key: roomTokenKey(SECRET), backplane: createMemoryBackplane(), logger: pino({ level: 'silent' }) });
await signalingRoutes(app, hub);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const video = createBuiltinVideoProvider({ authSecret: SECRET, publicUrl: 'http://127.0.0.1', iceServers: [] });
process.on('message', async (msg: { type: string; count?: number }) => {
  if (msg.type === 'rss') {
    global.gc?.();
    process.send!({ type: 'rss', rss: process.memoryUsage().rss });
  } else if (msg.type === 'tokens') {
    const tokens: string[] = [];
    const exp = Date.now() + 3_600_000;
    for (let i = 0; i < msg.count!; i++) {
      const r = await video.createRoom(sessionRoomSpec(`bench-${i}`, exp));
      tokens.push(await video.mintToken({ room: r, reservation: { id: `bench-${i}`, tokenVersion: 0 }, userId: `coach-${i}`, userName: 'Coach', role: 'owner', expiresAtMs: exp }));
      tokens.push(await video.mintToken({ room: r, reservation: { id: `bench-${i}`, tokenVersion: 0 }, userId: `player-${i}`, userName: 'Player', role: 'participant', expiresAtMs: exp }));
    }
    process.send!({ type: 'tokens', tokens, stats: hub.stats() });
  } else if (msg.type === 'stats') {
    process.send!({ type: 'stats', stats: hub.stats() });
  } else if (msg.type === 'stop') {
    await hub.close();
    await app.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready', address });
