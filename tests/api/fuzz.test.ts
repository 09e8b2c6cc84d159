import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { operationKey, operationsOf, type Operation } from '../helpers/fuzz/operations.js';
import { errorShapeProblem, foreignRedirect, leakedSecrets, organizationSnapshot, prototypePolluted } from '../helpers/fuzz/oracle.js';
import { buildRequest, caseArb, type BuiltRequest } from '../helpers/fuzz/requests.js';
import type { JsonSchema } from '../helpers/fuzz/schema-arbitrary.js';
import { seedFuzzWorld, type FuzzWorld } from '../helpers/fuzz/seed.js';
import { createTestApp, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * A fuzz test over the whole API (docs/testing.md): every operation of the OpenAPI document,
 * and the routes it hides, gets requests generated from its schemas by fast-check — valid
 * values, mutated ones, hostile ones — as an anonymous caller and as a member, an admin, an API
 * key and a cookie session of ANOTHER organization than the seeded one. Every answer must be
 * below 500, an error must have our shape, nothing of the seeded organization may show, and no
 * redirect may leave the site. The operations are walked in rounds, so what one request stored
 * is read back by the others.
 *
 * Deterministic: FUZZ_SEED replays a run; FUZZ_RUNS is the number of requests per operation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_517);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const ROUNDS = 2;
/** A safety net on a loaded machine: past it, the remaining operations get one request each. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 180_000);
/** fast-check shrinks a failing case to a minimal one when FUZZ_SHRINK=1 (slower). */
const SHRINK = process.env.FUZZ_SHRINK === '1';
const BODY_LIMIT = 65_536;

let t: TestApp;
let world: FuzzWorld;
let operations: Operation[];
let resolve: (ref: string) => JsonSchema;
let before: Awaited<ReturnType<typeof organizationSnapshot>>;
let victimIds: string[];

beforeAll(async () => {
  t = await createTestApp({
    // The fuzzer is one client sending thousands of requests: limits would answer 429 to most of them.
    RATE_LIMIT_GLOBAL_PER_MINUTE: '10000000',
    RATE_LIMIT_AI_PER_MINUTE: '10000000',
    // A small limit, so that bodies beyond it are cheap to send.
    BODY_LIMIT_BYTES: String(BODY_LIMIT),
    // The background job poller stays out of the way: jobs run by hand before each snapshot, so
    // that the seed's booking confirmations are not sent in the middle of the comparison.
    JOBS_POLL_MS: '3600000',
  });
  world = await seedFuzzWorld(t);
  await runDueJobs();
  const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  ({ operations, resolve } = operationsOf(doc.json()));
  // Rows are matched by the ids they mention (free text such as names could be typed by anyone).
  victimIds = Object.entries(world.refs).filter(([name]) => name.startsWith('victim.') && name !== 'victim.name' && name !== 'victim.chatTitle').map(([, id]) => id);
  before = await organizationSnapshot(t.ctx.database, victimIds);
}, 180_000);
afterAll(() => t?.close());

/** Runs every job due now (booking confirmations…), as the poller would have by then. */
async function runDueJobs(): Promise<void> {
  while ((await t.ctx.services.scheduler.runDue()) > 0);
}

/** A stable 32-bit hash, so each operation and round has a seed of its own derived from FUZZ_SEED. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

function describeRequest(actor: string, req: BuiltRequest, status: number, body: string): string {
  const payload = req.payload === undefined ? '' : ` body=${clip(JSON.stringify(typeof req.payload === 'string' ? req.payload : req.payload.toString('utf8')))}`;
  const headers = Object.entries(req.headers).filter(([k]) => (k !== 'authorization' && k !== 'cookie') || actor === 'anonymous');
  return `${actor} ${req.method} ${clip(req.url)} headers=${clip(JSON.stringify(Object.fromEntries(headers)))}${payload} → ${status} ${clip(body)}`;
}

it('every route answers hostile input from another organization without a 5xx, a stray error shape, a leak or an open redirect', async () => {
  const findings: string[] = [];
  const covered = new Set<string>();
  let requests = 0;
  const startedAt = Date.now();
  const actors = world.actors.map((a) => a.name);
  const ownOrigin = new URL(t.ctx.config.PUBLIC_URL).origin;

  for (let round = 0; round < ROUNDS; round++) {
    for (const op of operations) {
      const key = operationKey(op);
      if (findings.some((f) => f.startsWith(`${key} `))) continue;
      const property = fc.asyncProperty(caseArb(op, resolve, actors), async (c) => {
        const actor = world.actors.find((a) => a.name === c.actor)!;
        const req = buildRequest(op, c, actor, world.refs, BODY_LIMIT);
        let res;
        try {
          res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
        } catch (err) {
          // light-my-request refused to build it (as an HTTP client would): nothing reached the server.
          if (err instanceof TypeError || (err as { code?: string }).code?.startsWith('ERR_')) return;
          throw err;
        }
        requests++;
        covered.add(key);
        const problems: string[] = [];
        if (res.statusCode >= 500) problems.push(`server error ${res.statusCode}`);
        if (res.statusCode >= 400 && req.method !== 'HEAD') {
          const shape = errorShapeProblem(res.statusCode, res.body, req.url);
          if (shape) problems.push(shape);
        }
        const leaks = leakedSecrets(res, req, world.secrets);
        if (leaks.length) problems.push(`LEAK of ${leaks.map((s) => JSON.stringify(s)).join(', ')}`);
        const redirect = foreignRedirect(res, ownOrigin);
        if (redirect) problems.push(`redirect off this site to ${JSON.stringify(redirect)}`);
        if (prototypePolluted()) problems.push('Object.prototype polluted');
        if (problems.length) throw new Error(`${problems.join('; ')}\n    ${describeRequest(c.actor, req, res.statusCode, res.body)}`);
      });
      const seed = (SEED ^ hash(`${round}:${key}`)) | 0;
      const overBudget = Date.now() - startedAt > BUDGET_MS;
      const out = await fc.check(property, { seed, numRuns: overBudget ? 1 : Math.ceil(RUNS / ROUNDS), endOnFailure: !SHRINK });
      // A generated sign-out or revoke-sessions may have ended the cookie actor's session.
      const revived = await world.revive();
      if (revived && !findings.some((f) => f.startsWith('cookie actor'))) findings.push(`cookie actor, after ${key} (round ${round}): ${revived}`);
      if (out.failed) {
        const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
        findings.push(`${key} (replay: FUZZ_SEED=${SEED}, round ${round}, seed ${seed}, path "${out.counterexamplePath}"): ${error}`);
      }
    }
  }

  const hidden = operations.filter((o) => o.hidden).length;
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  console.log(`fuzz: ${requests} requests, ${covered.size} routes (${operations.length - hidden} documented + ${hidden} hidden), seed ${SEED}, ${RUNS} runs per route, ${testDbKind()}, ${seconds} s`);
  expect(covered.size).toBe(operations.length);
  expect(findings).toEqual([]);
}, 900_000);

it('the server is healthy afterwards and the seeded organization unchanged', async () => {
  const admin = world.actors.find((a) => a.name === 'admin')!;
  const health = await t.app.inject({ method: 'GET', url: '/api/health', headers: admin.headers });
  expect(health.statusCode).toBe(200);
  expect(health.json().database.ok).toBe(true);
  // What the fuzzed requests scheduled runs too: a job touching the seeded organization shows.
  await runDueJobs();
  expect(await organizationSnapshot(t.ctx.database, victimIds)).toEqual(before);

  const session = await t.app.inject({ method: 'GET', url: `/api/chat/sessions/${world.victimMember.chatSessionId}`, headers: world.victimMember.headers });
  expect(session.statusCode).toBe(200);
  expect(session.json().session.messages).toHaveLength(4);
  const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: world.victimMember.headers });
  expect(me.json().user.id).toBe(world.victimMember.userId);
  // Whatever the other organization's actors stored, reading it back still works.
  for (const actor of world.actors.filter((a) => a.name !== 'anonymous')) {
    for (const url of ['/api/me', '/api/users', '/api/chat/sessions?userId=' + (actor.userId ?? world.refs['attacker.spare']), '/api/conversations', '/api/reservations', '/api/announcements']) {
      const res = await t.app.inject({ method: 'GET', url, headers: actor.headers });
      expect(res.statusCode, `${actor.name} GET ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
    }
  }
});
