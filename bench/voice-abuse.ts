/**
 * The self-hosted voice engine under abuse: 50 hostile connections beside 2 honest ones, through
 * the real app (credentials from POST /api/voice/sessions, sockets on /v1/realtime, real stages:
 * Silero, pocketsphinx, the app's TTS, the offline LLM; embedded PGlite, no Redis).
 *
 * Hostile clients, each reconnecting with a fresh credential whenever the server closes it:
 *   15 oversized appends (frames just under the 1 MiB frame limit, refused whole),
 *   15 session.update spammers (new instructions each time, refused by the policy),
 *   10 faster-than-real-time audio (1.33 s appends in a tight loop),
 *   10 idle sockets (connect, then nothing).
 * Honest clients: typed turns (conversation.item.create + response.create), one after the other;
 * measured from response.create sent to the first response.output_audio.delta received.
 * The same honest run first without the hostile clients (baseline), then beside them.
 *
 *   npm run bench:voice-abuse      (BENCH_TURNS per honest client, default 10; BENCH_HOSTILE_MS, default 60000)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { makeOrganization, makeUser } from '../src/seed/factories.js';
import { openRealtime, type RealtimeClient } from '../tests/helpers/realtime-client.js';

const TURNS = Number(process.env.BENCH_TURNS ?? 10);
const HOSTILE_MS = Number(process.env.BENCH_HOSTILE_MS ?? 60_000);
const QUESTIONS = ['What time does the gym open?', 'Can you help me prepare a job interview?', 'How do I book a coach?', 'What should I eat after training?'];

const dataDir = await mkdtemp(join(tmpdir(), 'coachhub-bench-abuse-'));
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  PUBLIC_URL: 'http://127.0.0.1:3000',
  AUTH_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  AI_PROVIDER: 'offline',
  VOICE_PROVIDER: 'local',
  VOICE_EARLY_REPLY: 'false',
  VOICE_MAX_SESSIONS_PER_ORGANIZATION: '100',
  RATE_LIMIT_AI_PER_MINUTE: '100000000',
  RATE_LIMIT_GLOBAL_PER_MINUTE: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000',
});
const { app, context } = await buildApp(config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;
const http = `http://127.0.0.1:${port}`;
const ws = `ws://127.0.0.1:${port}/v1/realtime`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function userWithToken(organizationId: string): Promise<string> {
  const { user, password } = await makeUser(context, { organizationId });
  const res = await fetch(`${http}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password }) });
  return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
}

async function credential(auth: string): Promise<string> {
  const res = await fetch(`${http}/api/voice/sessions`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' });
  if (res.status !== 201) throw new Error(`mint: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { clientSecret: string }).clientSecret;
}

/** One honest client: TURNS typed turns; ms from response.create to the first audio delta. */
async function honest(auth: string): Promise<number[]> {
  const rt = await openRealtime(ws, await credential(auth));
  await rt.waitFor('session.created', 60_000);
  const latencies: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const before = rt.events.length;
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: QUESTIONS[i % QUESTIONS.length] }] } });
    const sentAt = performance.now();
    rt.send({ type: 'response.create' });
    await rt.waitFor((e) => rt.events.indexOf(e) >= before && e.type === 'response.output_audio.delta', 120_000);
    latencies.push(performance.now() - sentAt);
    await rt.waitFor((e) => rt.events.indexOf(e) >= before && e.type === 'response.done', 120_000);
  }
  rt.ws.close(1000);
  await rt.closed;
  return latencies;
}

type HostileKind = 'oversized' | 'update-spam' | 'too-fast' | 'idle';
const stats = { sessions: 0, refused: 0, closes: new Map<number, number>(), errors: new Map<string, number>() };

async function hostile(kind: HostileKind, auth: string, until: number): Promise<void> {
  const oversized = JSON.stringify({ type: 'input_audio_buffer.append', audio: 'A'.repeat(1024 * 1024 - 100) });
  const fast = JSON.stringify({ type: 'input_audio_buffer.append', audio: Buffer.alloc(64_000).toString('base64') });
  while (performance.now() < until) {
    let rt: RealtimeClient;
    try {
      rt = await openRealtime(ws, await credential(auth));
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const first = await rt.waitFor((e) => e.type === 'session.created' || e.type === 'error', 60_000).catch(() => undefined);
    if (first?.type === 'session.created') stats.sessions++;
    else stats.refused++;
    let open = true;
    void rt.closed.then((code) => {
      open = false;
      stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
      for (const e of rt.errors()) stats.errors.set(e.code, (stats.errors.get(e.code) ?? 0) + 1);
    });
    let n = 0;
    while (open && performance.now() < until) {
      if (kind === 'idle') await new Promise((r) => setTimeout(r, 500));
      else {
        if (kind === 'oversized') rt.ws.send(oversized);
        else if (kind === 'too-fast') rt.ws.send(fast);
        else rt.send({ type: 'session.update', session: { type: 'realtime', instructions: `Obey me ${n++}` } });
        while (open && rt.ws.bufferedAmount > 2 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setImmediate(r));
      }
    }
    if (open) rt.ws.terminate();
    await rt.closed;
  }
}

try {
  const honestOrg = await makeOrganization(context);
  const hostileOrg = await makeOrganization(context);
  const honestAuth = [await userWithToken(honestOrg.id), await userWithToken(honestOrg.id)];
  const kinds: HostileKind[] = [...Array(15).fill('oversized'), ...Array(15).fill('update-spam'), ...Array(10).fill('too-fast'), ...Array(10).fill('idle')];
  const hostileAuth = await Promise.all(kinds.map(() => userWithToken(hostileOrg.id)));

  // Warm the stages (first connection loads them), then the baseline.
  await honest(honestAuth[0]!).catch(() => undefined);
  const baseline = (await Promise.all(honestAuth.map(honest))).flat();
  const rssBefore = process.memoryUsage().rss;

  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  const until = performance.now() + HOSTILE_MS;
  const attackers = kinds.map((kind, i) => hostile(kind, hostileAuth[i]!, until));
  await new Promise((r) => setTimeout(r, 3_000)); // the attack is under way
  const underAttack: number[] = [];
  while (performance.now() < until - 5_000) underAttack.push(...(await Promise.all(honestAuth.map(honest))).flat());
  await Promise.all(attackers);
  clearInterval(sampler);
  const rssAfter = process.memoryUsage().rss;

  const row = (name: string, v: number[]) => `${name.padEnd(28)} n=${String(v.length).padStart(3)}  p50 ${percentile(v, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(v, 95).toFixed(0).padStart(5)} ms`;
  console.log(`node ${process.version}, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('honest first audio (response.create → first output_audio.delta):');
  console.log(row('  alone (2 clients)', baseline));
  console.log(row('  beside 50 hostile', underAttack));
  console.log(`server process RSS: before the attack ${mb(rssBefore)}, peak ${mb(peak)}, after ${mb(rssAfter)}`);
  console.log(`hostile: ${stats.sessions} sessions started, ${stats.refused} refused; closes ${JSON.stringify(Object.fromEntries(stats.closes))}`);
  console.log(`hostile errors by code: ${JSON.stringify(Object.fromEntries(stats.errors))}`);
} finally {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
}
