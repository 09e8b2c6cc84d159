/**
 * Chat coach benchmark on real PostgreSQL with the offline engine (not a timed test).
 *
 * 1. Sends: sends/s and latency (p50/p99) with 50 concurrent clients (one user each, BASIC plan
 *    with credits) through the real app over HTTP — auth, validation, credit hold, context
 *    window, offline AI reply, metering, save + charge — next to a bare Fastify route doing
 *    the same database writes with raw SQL (hold, session/messages, ledger, usage row).
 * 2. Reads: GET /api/chat/history and GET /api/chat/sessions p50/p99 for one user with 1,000
 *    sessions and 100,000 messages (first page and deep pages through the cursor).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:chat
 *   (BENCH_SECONDS=10, BENCH_ROUNDS=4, BENCH_CLIENTS=50, BENCH_READS=500; BENCH_PROFILE=app|bare;
 *   BENCH_BARE_PREPARED=1 runs the bare route's statements as named prepared statements too)
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { makeOrganization, makeUser } from '../src/seed/factories.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const READS = Number(process.env.BENCH_READS ?? 500);
/** The measured time of each variant is split in this many interleaved rounds (load drifts). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** BENCH_PROFILE=app|bare writes a CPU profile of that variant's measured runs (open in Chrome DevTools). */
const PROFILE = process.env.BENCH_PROFILE;
const BARE_PREPARED = process.env.BENCH_BARE_PREPARED === '1';
let profiler: Session | undefined;
if (PROFILE) {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
}

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
/** CPU seconds (user + system) from a /proc stat line: fields 14 and 15, in clock ticks (100/s). */
const statCpu = (stat: string) => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** CPU used so far by this process's main thread, and by every PostgreSQL process on the machine. */
async function cpuNow(): Promise<{ main: number; postgres: number }> {
  const main = statCpu(await readFile(`/proc/self/task/${process.pid}/stat`, 'utf8'));
  let postgres = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat.includes('(postgres)')) postgres += statCpu(stat);
  }
  return { main, postgres };
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);

const dbName = `bench_chat_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${dbName}`);
const dbUrl = withDb(ADMIN_URL, dbName);
const dataDir = await mkdtemp(join(tmpdir(), 'coachhub-bench-'));

const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  DATABASE_URL: dbUrl,
  AUTH_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  AI_PROVIDER: 'offline',
  RATE_LIMIT_AI_PER_MINUTE: '100000000',
  RATE_LIMIT_GLOBAL_PER_MINUTE: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000',
});
const { app, context } = await buildApp(config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
pool.on('error', () => undefined);

try {
  // ---------------------------------------------------------------- setup: 50 users with tokens
  const org = await makeOrganization(context);
  const users: { id: string; auth: string; sessionId?: string }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const { user, password } = await makeUser(context, { organizationId: org.id, plan: 'BASIC' });
    await context.services.chat.credits.adjust({ userId: user.id, amount: 10_000, reason: 'bench', kind: 'adjust', actorUserId: null });
    const res = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password }) });
    users.push({ id: user.id, auth: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` });
  }

  // ---------------------------------------------------------------- bare route: same writes, raw SQL
  const bare = Fastify({ logger: false });
  bare.post<{ Body: { userId: string; sessionId?: string; message: string } }>('/bare/send', async (request) => {
    const { userId, message } = request.body;
    const conn = await pool.connect();
    // BENCH_BARE_PREPARED=1: the same statements, named (prepared once per connection), for comparison.
    const client = { query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => conn.query<R>(BARE_PREPARED && values ? { name: `bare_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`, text, values } : { text, values }) };
    try {
      const reply = 'Je vous entends. Quelle petite étape pourriez-vous tenter cette semaine ?';
      const holdId = randomUUID();
      await client.query('BEGIN');
      await client.query(`INSERT INTO credit_account (user_id, organization_id, period, plan, balance) VALUES ($1, $2, '', 'BASIC', 0) ON CONFLICT DO NOTHING`, [userId, org.id]);
      const { rows } = await client.query<{ balance: number }>('SELECT balance FROM credit_account WHERE user_id = $1 FOR UPDATE', [userId]);
      const held = await client.query<{ n: string }>('SELECT count(*) AS n FROM credit_reservation WHERE user_id = $1 AND expires_at > now()', [userId]);
      if (rows[0]!.balance - Number(held.rows[0]!.n) <= 0) throw new Error('no credits');
      await client.query(`INSERT INTO credit_reservation (id, user_id, expires_at) VALUES ($1, $2, now() + interval '10 minutes')`, [holdId, userId]);
      await client.query('COMMIT');

      await client.query('INSERT INTO llm_usage (id, provider, model, feature, user_id, organization_id, input_tokens, output_tokens, latency_ms, outcome) VALUES ($1, $2, $3, $4, $5, $6, 10, 20, 1, $7)', [randomUUID(), 'offline', 'bench', 'chat', userId, org.id, 'ok']);

      await client.query('BEGIN');
      let sessionId = request.body.sessionId;
      let seq = 0;
      if (!sessionId) {
        sessionId = randomUUID();
        await client.query('INSERT INTO chat_session (id, organization_id, user_id, title) VALUES ($1, $2, $3, $4)', [sessionId, org.id, userId, message.slice(0, 60)]);
      } else {
        const s = await client.query<{ message_count: number }>('SELECT message_count FROM chat_session WHERE id = $1 FOR UPDATE', [sessionId]);
        seq = s.rows[0]!.message_count;
      }
      const assistantId = randomUUID();
      await client.query(
        `INSERT INTO chat_message (id, session_id, organization_id, user_id, role, content, seq) VALUES ($1, $2, $3, $4, 'USER', $5, $6), ($7, $2, $3, $4, 'ASSISTANT', $8, $9)`,
        [randomUUID(), sessionId, org.id, userId, message, seq, assistantId, reply, seq + 1],
      );
      await client.query('UPDATE chat_session SET message_count = message_count + 2, last_message = $2, updated_at = now() WHERE id = $1', [sessionId, reply]);
      await client.query('SELECT balance FROM credit_account WHERE user_id = $1 FOR UPDATE', [userId]);
      await client.query(`DELETE FROM credit_reservation WHERE id = $1`, [holdId]);
      await client.query(`INSERT INTO credit_ledger (id, organization_id, user_id, period, kind, amount, plan, message_id) VALUES ($1, $2, $3, to_char(now(), 'YYYY-MM'), 'spend', -1, 'BASIC', $4)`, [randomUUID(), org.id, userId, assistantId]);
      await client.query('UPDATE credit_account SET balance = balance - 1 WHERE user_id = $1', [userId]);
      await client.query('COMMIT');
      return { sessionId, remainingCredits: rows[0]!.balance - 1 };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      conn.release();
    }
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;

  type Sender = (u: (typeof users)[number], i: number) => Promise<void>;
  const viaApp: Sender = async (u, i) => {
    const res = await fetch(`${base}/api/chat/send`, {
      method: 'POST',
      headers: { authorization: u.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...(u.sessionId ? { sessionId: u.sessionId } : {}), message: `Message ${i} : je manque de confiance avant un rendez-vous` }),
    });
    if (res.status !== 200) throw new Error(`app send: ${res.status} ${await res.text()}`);
    u.sessionId ??= ((await res.json()) as { sessionId: string }).sessionId;
    if (res.bodyUsed === false) await res.arrayBuffer();
  };
  const viaBare = (sessions: Map<string, string>): Sender => async (u, i) => {
    const res = await fetch(`${bareBase}/bare/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: u.id, sessionId: sessions.get(u.id), message: `Message ${i} : je manque de confiance avant un rendez-vous` }),
    });
    if (res.status !== 200) throw new Error(`bare send: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { sessionId: string };
    if (!sessions.has(u.id)) sessions.set(u.id, body.sessionId);
  };

  /**
   * The measured runs drive the servers from a worker thread, so the load generator does not
   * compete with the server for the main event loop (both variants get the same treatment).
   */
  const CLIENT_CODE = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { performance } = require('node:perf_hooks');
    (async () => {
      const { requests, seconds } = workerData;
      const latencies = [];
      let errors = 0;
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(requests.map(async (r) => {
        let i = 0;
        while (performance.now() < until) {
          const t0 = performance.now();
          const body = JSON.stringify({ ...r.body, message: 'Message ' + i++ + ' : je manque de confiance avant un rendez-vous' });
          const res = await fetch(r.url, { method: 'POST', headers: r.headers, body });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          latencies.push(performance.now() - t0);
        }
      }));
      parentPort.postMessage({ latencies, errors, elapsed: (performance.now() - started) / 1000 });
    })();`;
  interface ClientRequest {
    url: string;
    headers: Record<string, string>;
    body: Record<string, unknown>;
  }
  const appRequests = (): ClientRequest[] =>
    users.map((u) => ({ url: `${base}/api/chat/send`, headers: { authorization: u.auth, 'content-type': 'application/json' }, body: { sessionId: u.sessionId } }));
  const bareRequests = (sessions: Map<string, string>): ClientRequest[] =>
    users.map((u) => ({ url: `${bareBase}/bare/send`, headers: { 'content-type': 'application/json' }, body: { userId: u.id, sessionId: sessions.get(u.id) } }));

  async function load(name: 'app' | 'bare', requests: ClientRequest[], seconds: number) {
    phase = name;
    if (profiler && PROFILE === name) await profiler.post('Profiler.start');
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = await cpuNow();
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(CLIENT_CODE, { eval: true, workerData: { requests, seconds } });
    const result = await new Promise<{ latencies: number[]; errors: number; elapsed: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const cpu1 = await cpuNow();
    await worker.terminate();
    phase = null;
    if (profiler && PROFILE === name) {
      const { profile } = (await profiler.post('Profiler.stop')) as { profile: object };
      const file = join(tmpdir(), `chat-${name}-${Date.now()}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      console.log(`CPU profile of the ${name} run: ${file}`);
    }
    if (result.errors > 0) throw new Error(`${name}: ${result.errors} failed sends`);
    const latencies = result.latencies.sort((a, b) => a - b);
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const perSend = (seconds: number) => (seconds * 1000) / latencies.length;
    return {
      name,
      perSecond: latencies.length / result.elapsed,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      n: latencies.length,
      elu,
      mainMs: perSend(cpu1.main - cpu0.main),
      postgresMs: perSend(cpu1.postgres - cpu0.postgres),
    };
  }

  /** Warm-up from the main thread: creates each client's session (later sends continue it). */
  async function warmUp(send: Sender, seconds: number) {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      users.map(async (u) => {
        let i = 0;
        do await send(u, i++);
        while (performance.now() < until);
      }),
    );
  }

  // Sampled pool queues say which side waits on connections (the bare route holds one per request).
  const appPool = (context.database.db as unknown as { $client: pg.Pool }).$client;
  const queue = { app: [] as number[], bare: [] as number[] };
  let phase: 'app' | 'bare' | null = null;
  const sampler = setInterval(() => {
    if (phase) queue[phase].push(phase === 'app' ? appPool.waitingCount : pool.waitingCount);
  }, 100);
  const bareSessions = new Map<string, string>();
  await warmUp(viaApp, 2);
  await warmUp(viaBare(bareSessions), 2);
  const results: Awaited<ReturnType<typeof load>>[] = [];
  // Interleaved rounds so drift (autovacuum, caches) hits both variants.
  for (let round = 0; round < ROUNDS; round++) {
    results.push(await load('app', appRequests(), SECONDS / ROUNDS));
    results.push(await load('bare', bareRequests(bareSessions), SECONDS / ROUNDS));
  }
  const merge = (name: string) => {
    const rs = results.filter((r) => r.name === name);
    const mean = (f: (r: (typeof rs)[number]) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    return {
      perSecond: mean((r) => r.perSecond),
      p50: Math.max(...rs.map((r) => r.p50)),
      p99: Math.max(...rs.map((r) => r.p99)),
      n: rs.reduce((s, r) => s + r.n, 0),
      elu: mean((r) => r.elu),
      mainMs: mean((r) => r.mainMs),
      postgresMs: mean((r) => r.postgresMs),
    };
  };
  const appR = merge('app');
  const bareR = merge('bare');
  console.log(`\n## Sends: ${CLIENTS} concurrent clients, ${SECONDS} s per variant, PostgreSQL, offline engine, Node ${process.version}`);
  console.log('| variant | sends/s | p50 ms | p99 ms | sends | server event loop busy | server CPU ms / send | PostgreSQL CPU ms / send |');
  console.log('|---|---|---|---|---|---|---|---|');
  const row = (label: string, r: typeof appR) =>
    `| ${label} | ${fmt(r.perSecond)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.n} | ${(r.elu * 100).toFixed(0)} % | ${fmt(r.mainMs)} | ${fmt(r.postgresMs)} |`;
  console.log(row('POST /api/chat/send (full app)', appR));
  console.log(row(`bare Fastify route, same writes${BARE_PREPARED ? ' (prepared statements)' : ''}`, bareR));
  console.log(`ratio app / bare: ${(appR.perSecond / bareR.perSecond).toFixed(2)} (goal ≥ 0.8)`);
  await bare.close();
  clearInterval(sampler);
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0).toFixed(1);
  console.log(`mean requests waiting for a pool connection (pool of 10): app ${avg(queue.app)}, bare ${avg(queue.bare)}`);
  console.log(`Node ${process.version} (${process.platform}/${process.arch}); load average during the run: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);

  // ---------------------------------------------------------------- reads: 1,000 sessions, 100,000 messages
  const { user: reader, password } = await makeUser(context, { organizationId: org.id, plan: 'PREMIUM' });
  const t0 = performance.now();
  await pool.query(
    `INSERT INTO chat_session (id, organization_id, user_id, title, last_message, message_count, created_at, updated_at)
     SELECT 's-' || g, $1, $2, 'Conversation ' || g, 'Dernier message de la conversation ' || g, 100,
            now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
     FROM generate_series(1, 1000) g`,
    [org.id, reader.id],
  );
  await pool.query(
    `INSERT INTO chat_message (id, session_id, organization_id, user_id, role, content, seq, created_at)
     SELECT 'm-' || s || '-' || m, 's-' || s, $1, $2, CASE WHEN m % 2 = 0 THEN 'USER' ELSE 'ASSISTANT' END,
            'Message ' || m || ' de la conversation ' || s || ' : un texte de longueur réaliste pour un échange de coaching.', m,
            now() - (s || ' minutes')::interval
     FROM generate_series(1, 1000) s, generate_series(0, 99) m`,
    [org.id, reader.id],
  );
  await pool.query('ANALYZE chat_session; ANALYZE chat_message;');
  console.log(`\nLoaded 1,000 sessions / 100,000 messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const tokenRes = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: reader.email, password }) });
  const readerAuth = `Bearer ${((await tokenRes.json()) as { accessToken: string }).accessToken}`;

  async function timeGets(label: string, urlFor: (i: number, cursor: string | null) => string) {
    const latencies: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < READS + 20; i++) {
      const started = performance.now();
      const res = await fetch(`${base}${urlFor(i, cursor)}`, { headers: { authorization: readerAuth } });
      const body = (await res.json()) as { nextCursor: string | null };
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(body)}`);
      if (i >= 20) latencies.push(performance.now() - started);
      cursor = body.nextCursor;
    }
    latencies.sort((a, b) => a - b);
    return `| ${label} | ${fmt(pct(latencies, 50))} | ${fmt(pct(latencies, 99))} |`;
  }
  console.log(`\n## Reads: one user with 1,000 sessions and 100,000 messages (${READS} sequential requests each)`);
  console.log('| request | p50 ms | p99 ms |');
  console.log('|---|---|---|');
  console.log(await timeGets('GET /api/chat/history?limit=20 (first page)', () => '/api/chat/history?limit=20'));
  console.log(await timeGets('GET /api/chat/history?limit=20 (walking the cursor)', (_i, c) => `/api/chat/history?limit=20${c ? `&cursor=${c}` : ''}`));
  console.log(await timeGets('GET /api/chat/sessions?limit=50 (first page)', () => '/api/chat/sessions?limit=50'));
  console.log(await timeGets('GET /api/chat/sessions?limit=50 (walking the cursor)', (_i, c) => `/api/chat/sessions?limit=50${c ? `&cursor=${c}` : ''}`));
  console.log(await timeGets('GET /api/chat/sessions/:id (100 messages)', (i) => `/api/chat/sessions/s-${(i % 1000) + 1}`));
  const plan = await pool.query(
    `EXPLAIN SELECT * FROM chat_session WHERE user_id = $1 AND (updated_at, id) < (now(), 'zzz') ORDER BY updated_at DESC, id DESC LIMIT 21`,
    [reader.id],
  );
  console.log('\nPlan of a history page:\n' + plan.rows.map((r: { 'QUERY PLAN': string }) => '    ' + r['QUERY PLAN']).join('\n'));
} finally {
  await app.close();
  await pool.end();
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
