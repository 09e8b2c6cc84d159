/**
 * Video benchmarks (not timed tests), on loopback:
 *  1. token endpoint latency: GET /api/reservations/:id/video-token through the full app
 *     (auth, scoping, room, signing), p50/p99;
 *  2. memory of one signaling process (Fastify + WebSocket + the hub, no database: the
 *     signaling path never touches it) holding 500 idle built-in rooms (1,000 joined
 *     WebSockets), RSS before and after;
 *  3. signaling join latency: a peer's `join` → `joined`, and the second peer's
 *     `join` → the first peer's `peer-joined` + one relayed offer (the server's share of
 *     join → connected; ICE/DTLS happen between the browsers).
 *
 *  4. join → connected between two headless Chromium contexts through the real UI
 *     (bench/video-browser.ts; BENCH_CALLS=0 skips it).
 *
 *   npm run bench:video     (BENCH_TOKENS=2000 BENCH_ROOMS=500 BENCH_CALLS=10 to change the sizes)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { makeOrganization, makeUser } from '../src/seed/factories.js';
import { reservations } from '../src/features/bookings/tables.js';
import { sessionRoomSpec } from '../src/providers/video/types.js';
import { joinToConnected } from './video-browser.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 500);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function startApp(dataDir: string) {
  const { app, context } = await buildApp(
    loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: dataDir, AUTH_SECRET: SECRET, PUBLIC_URL: 'http://127.0.0.1', RATE_LIMIT_GLOBAL_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '1000', JOBS_POLL_MS: '3600000' }),
    { logger: false },
  );
  await app.ready();
  return { app, context };
}

await main();


function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.send(message);
  });
}

function connect(base: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace('http', 'ws') + '/api/video/signal');
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (m.type === type) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'coachhub-bench-video-'));
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);

  // 1. Token endpoint.
  const { app, context } = await startApp(join(dataDir, 'a'));
  const org = await makeOrganization(context);
  const coach = await makeUser(context, { organizationId: org.id, role: 'coach' });
  const player = await makeUser(context, { organizationId: org.id });
  const admin = { kind: 'apiKey' as const, organizationId: org.id, userId: null, role: 'admin' as const };
  await context.services.announcements.setAvailability(admin, coach.user.id, [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440, timeZone: 'UTC' })));
  const offer = await context.services.announcements.create(admin, { coachId: coach.user.id, title: 'Bench', description: '', durationMs: 3_600_000, priceCents: 0, currency: 'EUR', language: 'fr', discordUrl: null });
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  const login = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: player.user.email, password: player.password } });
  const headers = { authorization: `Bearer ${login.json().accessToken}` };
  const booked = await app.inject({ method: 'POST', url: '/api/reservations', headers, payload: { announcementId: offer.id, coachId: coach.user.id, startDate: start.toISOString(), endDate: new Date(start.getTime() + 3_600_000).toISOString() } });
  const id = booked.json().reservation.id as string;
  const now = Date.now() + 5 * 60_000;
  await context.database.db.update(reservations).set({ startAt: new Date(now), endAt: new Date(now + 3_600_000), roomExpiresAt: new Date(now + 5_400_000) }).where(eq(reservations.id, id));
  const url = `/api/reservations/${id}/video-token`;
  for (let i = 0; i < 100; i++) await app.inject({ method: 'GET', url, headers });
  const latencies: number[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    latencies.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
  }
  console.log(`\n1. GET video-token (${TOKENS} sequential, app.inject, built-in provider, PGlite)`);
  console.log(`   p50 ${ms(pct(latencies, 50))}   p99 ${ms(pct(latencies, 99))}   max ${ms(Math.max(...latencies))}   (goal p99 ≤ 10 ms)`);

  // 3. Signaling join latency (in this process's server).
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const joinMs: number[] = [];
  const pairMs: number[] = [];
  const exp = Date.now() + 3_600_000;
  for (let i = 0; i < 200; i++) {
    const room = await context.services.video.createRoom(sessionRoomSpec(`lat-${i}`, exp));
    const a = await context.services.video.mintToken({ room, reservation: { id, tokenVersion: 0 }, userId: `a${i}`, userName: 'A', role: 'owner', expiresAtMs: exp });
    const b = await context.services.video.mintToken({ room, reservation: { id, tokenVersion: 0 }, userId: `b${i}`, userName: 'B', role: 'participant', expiresAtMs: exp });
    const wa = await connect(base);
    const wb = await connect(base);
    let t0 = performance.now();
    const joinedA = nextFrame(wa, 'joined');
    wa.send(JSON.stringify({ type: 'join', token: a }));
    await joinedA;
    joinMs.push(performance.now() - t0);
    t0 = performance.now();
    const peerJoined = nextFrame(wa, 'peer-joined');
    const joinedB = nextFrame(wb, 'joined');
    wb.send(JSON.stringify({ type: 'join', token: b }));
    await joinedB;
    const offer = nextFrame(wa, 'signal');
    wb.send(JSON.stringify({ type: 'signal', data: { description: { type: 'offer', sdp: 'v=0' } } }));
    await Promise.all([peerJoined, offer]);
    pairMs.push(performance.now() - t0);
    wa.close();
    wb.close();
  }
  console.log(`\n3. Signaling on loopback (200 rooms, in-process backplane)`);
  console.log(`   join → joined            p50 ${ms(pct(joinMs, 50))}   p99 ${ms(pct(joinMs, 99))}`);
  console.log(`   2nd join → offer relayed p50 ${ms(pct(pairMs, 50))}   p99 ${ms(pct(pairMs, 99))}`);
  await app.close();

  // 2. Idle rooms in a separate server process.
  const child = fork(fileURLToPath(new URL('./video-signal-server.ts', import.meta.url)), [SECRET], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { address } = await ask<{ address: string }>(child, { type: 'noop' }, 'ready');
  const before = (await ask<{ rss: number }>(child, { type: 'rss' }, 'rss')).rss;
  const { tokens } = await ask<{ tokens: string[] }>(child, { type: 'tokens', count: ROOMS }, 'tokens');
  const sockets: WebSocket[] = [];
  for (const token of tokens) {
    const ws = await connect(address);
    const joined = nextFrame(ws, 'joined');
    ws.send(JSON.stringify({ type: 'join', token }));
    await joined;
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 2000));
  const after = (await ask<{ rss: number }>(child, { type: 'rss' }, 'rss')).rss;
  const { stats } = await ask<{ stats: { connections: number; rooms: number } }>(child, { type: 'stats' }, 'stats');
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(`\n2. One signaling process (Fastify + @fastify/websocket + hub), ${stats.rooms} idle rooms, ${stats.connections} joined WebSockets`);
  console.log(`   RSS before ${mb(before)}   after ${mb(after)}   delta ${mb(after - before)}   (goal ≤ 200 MB)`);
  for (const ws of sockets) ws.close();
  child.send({ type: 'stop' });
  await new Promise((r) => child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });

  // 4. Browser join → connected.
  const runs = Number(process.env.BENCH_CALLS ?? 10);
  if (runs > 0) {
    const samples = await joinToConnected(runs);
    console.log(`\n4. Join → connected, two headless Chromium contexts on loopback (${runs} calls through the UI)`);
    console.log(`   p50 ${ms(pct(samples, 50))}   max ${ms(Math.max(...samples))}   (goal p50 ≤ 1 s)`);
  }
}
