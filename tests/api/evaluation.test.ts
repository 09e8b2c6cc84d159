import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluations } from '../../src/features/evaluation/evaluations.js';
import { createScheduler } from '../../src/features/jobs/scheduler.js';
import { jobs } from '../../src/features/jobs/tables.js';
import type { Evaluation } from '../../src/shared/api/evaluation.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * Evaluations end to end on the offline engine: asked for by a feature (the service), run in the
 * background by the job scheduler (by hand here), read and re-run over HTTP with the scoping of
 * scope.ts (another organization 404, another member 403, admins see their organization's).
 */
type Signed = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let orgId: string;
let alice: Signed, bob: Signed, admin: Signed, outsider: Signed;
const completed: Evaluation[] = [];

beforeAll(async () => {
  // The background poller stays out of the way: these tests run the scheduler by hand.
  t = await createTestApp({ JOBS_POLL_MS: '3600000' });
  t.ctx.services.evaluations.onCompleted((evaluation) => {
    completed.push(evaluation);
  });
  orgId = (await makeOrganization(t.ctx)).id;
  const other = await makeOrganization(t.ctx);
  alice = await signedInUser(t, { organizationId: orgId, locale: 'fr' });
  bob = await signedInUser(t, { organizationId: orgId });
  admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
  outsider = await signedInUser(t, { organizationId: other.id, role: 'admin' });
});
afterAll(() => t.close());

const SALES_CALL = [
  { itemId: 'a1', role: 'assistant', text: 'Bonjour, je suis Claire. Votre solution est trop chère pour nous.', startMs: 0, endMs: 4000 },
  { itemId: 'u1', role: 'user', text: "Je comprends, c'est légitime. Quel est votre budget ? Combien d'utilisateurs avez-vous ?", startMs: 5000, endMs: 14000 },
  { itemId: 'a2', role: 'assistant', text: 'Cinquante utilisateurs.', startMs: 15000, endMs: 17000 },
  { itemId: 'u2', role: 'user', text: 'Euh, nos clients économisent 20 % parce que les relances sont automatiques. Je vous propose un essai : on se cale un rendez-vous jeudi ?', startMs: 18000, endMs: 32000 },
];

async function conversation(who: Signed, kind: 'roleplay' | 'interview' = 'roleplay', items: Record<string, unknown>[] = SALES_CALL) {
  const res = await t.app.inject({ method: 'POST', url: '/api/conversations', headers: who.headers, payload: { kind, title: 'Practice' } });
  expect(res.statusCode).toBe(201);
  const id = res.json().conversation.id as string;
  for (const item of items) expect((await t.app.inject({ method: 'POST', url: `/api/conversations/${id}/items`, headers: who.headers, payload: item })).statusCode).toBe(201);
  await t.app.inject({ method: 'POST', url: `/api/conversations/${id}/end`, headers: who.headers, payload: { status: 'completed' } });
  return id;
}

const evaluate = (who: Signed, conversationId: string, kind: 'roleplay' | 'interview' = 'roleplay') =>
  t.ctx.services.evaluations.evaluate({
    organizationId: orgId,
    userId: who.user.id,
    conversationId,
    kind,
    language: 'fr',
    rubric: { id: 'sales', language: 'fr', criteria: [{ id: 'asks', kind: 'yes_no', label: 'Pose des questions', signals: ['questions'], expectedMatches: 2, weight: 2 }, { id: 'closes', kind: 'yes_no', label: 'Conclut', signals: ['closing'] }, { id: 'figures', kind: 'yes_no', label: 'Chiffres', keywords: ['roi'] }] },
  });

const get = (who: Signed, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });
const rerun = (who: Signed, conversationId: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/evaluation`, headers: who.headers, ...(payload ? { payload } : {}) });

describe(`evaluations in the background (${testDbKind()})`, () => {
  it('is pending until its job runs, then completed with a scorecard whose quotes are the turns’ own words, metrics, and one notification', async () => {
    const conversationId = await conversation(alice);
    const asked = await evaluate(alice, conversationId);
    expect(asked).toMatchObject({ conversationId, userId: alice.user.id, status: 'pending', run: 1, score: null, scorecard: null, metrics: null });
    expect((await get(alice, `/api/conversations/${conversationId}/evaluation`)).json().evaluation.status).toBe('pending');

    const before = completed.length;
    await t.ctx.services.scheduler.runDue();
    const res = await get(alice, `/api/evaluations/${asked.id}`);
    expect(res.statusCode).toBe(200);
    const evaluation = res.json().evaluation as Evaluation;
    expect(evaluation).toMatchObject({ status: 'completed', method: 'heuristic', score: 75, error: null });
    expect(evaluation.completedAt).not.toBeNull();
    expect(evaluation.scorecard).toMatchObject({ method: 'heuristic', heuristicReason: 'offline_engine', provider: 'offline', kind: 'roleplay', language: 'fr' });
    expect(evaluation.scorecard!.criteria.map((c) => [c.id, c.met])).toEqual([
      ['asks', true],
      ['closes', true],
      ['figures', false],
    ]);
    const texts = new Map(SALES_CALL.map((item) => [item.itemId, item.text]));
    const quotes = evaluation.scorecard!.criteria.flatMap((c) => c.evidence);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(texts.get(quote.itemId)).toContain(quote.quote);
    expect(evaluation.metrics).toMatchObject({ userTurns: 2, assistantTurns: 2, questionsAsked: 3, fillers: { count: 1, byWord: [{ word: 'euh', count: 1 }] } });
    expect(completed.slice(before).map((e) => e.id)).toEqual([asked.id]);
    // Running the scheduler again changes nothing.
    await t.ctx.services.scheduler.runDue();
    expect(completed.length).toBe(before + 1);
  });

  it('is one evaluation per conversation: asking again returns it and schedules nothing new', async () => {
    const conversationId = await conversation(alice);
    const first = await evaluate(alice, conversationId);
    const again = await evaluate(alice, conversationId);
    expect(again.id).toBe(first.id);
    const scheduled = await t.ctx.database.db.select().from(jobs).where(like(jobs.key, `evaluation:${first.id}:%`));
    expect(scheduled.map((job) => job.key)).toEqual([`evaluation:${first.id}:1`]);
    await t.ctx.services.scheduler.runDue();
    expect((await evaluate(alice, conversationId)).status).toBe('completed');
  });

  it('runs once with several instances polling the same database', async () => {
    const conversationId = await conversation(alice);
    const asked = await evaluate(alice, conversationId);
    const runs: string[] = [];
    const instance = () => {
      const scheduler = createScheduler(t.ctx.database.db, { logger: t.ctx.logger, pollMs: 3_600_000 });
      const evaluations = createEvaluations({ db: t.ctx.database.db, llm: t.ctx.services.llm, conversations: t.ctx.services.conversations, scheduler, logger: t.ctx.logger });
      evaluations.onCompleted((e) => {
        runs.push(e.id);
      });
      return scheduler;
    };
    const before = completed.length;
    await Promise.all([instance().runDue(), instance().runDue(), t.ctx.services.scheduler.runDue()]);
    expect([...runs, ...completed.slice(before).map((e) => e.id)]).toEqual([asked.id]);
  });

  it('fails (visibly) a conversation without anything the user said', async () => {
    const conversationId = await conversation(alice, 'roleplay', [{ itemId: 'a1', role: 'assistant', text: 'Hello?', startMs: 0, endMs: 1000 }]);
    const asked = await evaluate(alice, conversationId);
    await t.ctx.services.scheduler.runDue();
    expect((await get(alice, `/api/evaluations/${asked.id}`)).json().evaluation).toMatchObject({ status: 'failed', error: 'The conversation has no user turns to evaluate.', score: null });
  });

  it('retries a run that failed unexpectedly, then marks it failed without leaking the cause', async () => {
    const conversationId = await conversation(alice);
    const asked = await evaluate(alice, conversationId);
    const broken = createEvaluations({
      db: t.ctx.database.db,
      llm: t.ctx.services.llm,
      conversations: { ...t.ctx.services.conversations, items: async () => Promise.reject(new Error('connection reset by peer at 10.0.0.7')) },
      scheduler: createScheduler(t.ctx.database.db, { logger: t.ctx.logger, pollMs: 3_600_000 }),
      logger: t.ctx.logger,
    });
    await expect(broken.run(asked.id, 1, 1)).rejects.toThrow(/connection reset/);
    expect((await get(alice, `/api/evaluations/${asked.id}`)).json().evaluation).toMatchObject({ status: 'pending', error: 'The last attempt failed; it will be retried.' });
    await broken.run(asked.id, 1, 3);
    const failed = (await get(alice, `/api/evaluations/${asked.id}`)).json().evaluation;
    expect(failed).toMatchObject({ status: 'failed', error: 'The evaluation failed; it can be re-run.' });
    expect(JSON.stringify(failed)).not.toContain('10.0.0.7');
    // A re-run starts over.
    expect((await rerun(alice, conversationId)).json().evaluation).toMatchObject({ status: 'pending', run: 2, error: null });
    await t.ctx.services.scheduler.runDue();
    expect((await get(alice, `/api/evaluations/${asked.id}`)).json().evaluation.status).toBe('completed');
  });

  it('refuses a conversation of another organization or another user, and a bad rubric', async () => {
    const conversationId = await conversation(alice);
    await expect(t.ctx.services.evaluations.evaluate({ organizationId: (await makeOrganization(t.ctx)).id, userId: alice.user.id, conversationId, kind: 'roleplay', language: 'fr', rubric: { id: 'r', language: 'fr', criteria: [{ id: 'a', kind: 'yes_no', label: 'A' }] } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(evaluate(bob, conversationId)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(t.ctx.services.evaluations.evaluate({ organizationId: orgId, userId: alice.user.id, conversationId, kind: 'roleplay', language: 'fr', rubric: { id: 'r', language: 'fr', criteria: [] } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'rubric.criteria' } });
  });
});

describe(`reading evaluations: scope.ts's rule (${testDbKind()})`, () => {
  let conversationId: string;
  let evaluationId: string;
  beforeAll(async () => {
    conversationId = await conversation(alice);
    evaluationId = (await evaluate(alice, conversationId)).id;
    await t.ctx.services.scheduler.runDue();
  });

  it('the owner and the admin read it; another member gets 403; another organization 404', async () => {
    for (const url of [`/api/evaluations/${evaluationId}`, `/api/conversations/${conversationId}/evaluation`]) {
      expect((await get(alice, url)).statusCode).toBe(200);
      expect((await get(admin, url)).statusCode).toBe(200);
      expect((await get(bob, url)).statusCode).toBe(403);
      expect((await get(outsider, url)).statusCode).toBe(404);
    }
    expect((await get(alice, '/api/evaluations/no-such-id')).statusCode).toBe(404);
    const notEvaluated = await conversation(alice);
    expect((await get(alice, `/api/conversations/${notEvaluated}/evaluation`)).json()).toMatchObject({ code: 'NOT_FOUND', message: 'This conversation has no evaluation yet.' });
  });

  it('lists my evaluations (an admin: the organization’s), newest first, with a cursor', async () => {
    const mine = (await get(alice, '/api/evaluations?limit=100')).json().evaluations as { id: string; userId: string }[];
    expect(mine.map((e) => e.id)).toContain(evaluationId);
    expect(new Set(mine.map((e) => e.userId))).toEqual(new Set([alice.user.id]));
    expect((await get(bob, '/api/evaluations')).json()).toEqual({ evaluations: [], nextCursor: null });
    expect((await get(admin, '/api/evaluations?limit=100')).json().evaluations.map((e: { id: string }) => e.id)).toContain(evaluationId);
    expect((await get(outsider, '/api/evaluations?limit=100')).json().evaluations).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await get(alice, `/api/evaluations?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as { evaluations: { id: string }[]; nextCursor: string | null };
      seen.push(...page.evaluations.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(mine.map((e) => e.id));
    expect((await get(alice, '/api/evaluations?status=completed')).json().evaluations.every((e: { status: string }) => e.status === 'completed')).toBe(true);
    expect((await get(alice, '/api/evaluations?cursor=garbage')).statusCode).toBe(400);
  });
});

describe(`re-running (${testDbKind()})`, () => {
  it('the owner re-runs with the same rubric; the stale run writes nothing, the new one completes once', async () => {
    const conversationId = await conversation(alice);
    const first = await evaluate(alice, conversationId);
    const res = await rerun(alice, conversationId);
    expect(res.statusCode).toBe(202);
    expect(res.json().evaluation).toMatchObject({ id: first.id, run: 2, status: 'pending' });
    const before = completed.length;
    await t.ctx.services.scheduler.runDue(); // runs the job of run 1 (a no-op now) and of run 2
    expect(completed.slice(before).map((e) => [e.id, e.run])).toEqual([[first.id, 2]]);
    const after = (await get(alice, `/api/evaluations/${first.id}`)).json().evaluation;
    expect(after).toMatchObject({ status: 'completed', run: 2 });
    expect(after.rubric.id).toBe('sales');
  });

  it('another member gets 403, another organization 404; only an admin may change the rubric', async () => {
    const conversationId = await conversation(alice);
    await evaluate(alice, conversationId);
    expect((await rerun(bob, conversationId)).statusCode).toBe(403);
    expect((await rerun(outsider, conversationId)).statusCode).toBe(404);
    const rubric = { id: 'custom', language: 'en', criteria: [{ id: 'roi', kind: 'yes_no', label: 'Talks ROI', keywords: ['roi'] }] };
    const byOwner = await rerun(alice, conversationId, { rubric });
    expect(byOwner.statusCode).toBe(403);
    const byAdmin = await rerun(admin, conversationId, { rubric, language: 'en' });
    expect(byAdmin.statusCode).toBe(202);
    expect(byAdmin.json().evaluation).toMatchObject({ run: 2, language: 'en', rubric: { id: 'custom' } });
    await t.ctx.services.scheduler.runDue();
    const done = (await get(alice, `/api/conversations/${conversationId}/evaluation`)).json().evaluation as Evaluation;
    expect(done.scorecard!.criteria.map((c) => [c.id, c.label, c.met])).toEqual([['roi', 'Talks ROI', false]]);
  });

  it('evaluates a conversation never evaluated, with the built-in rubric of its kind and the owner’s language', async () => {
    const conversationId = await conversation(alice, 'interview', [
      { itemId: 'q1', role: 'assistant', text: 'Parlez-moi d’un conflit dans votre équipe.', startMs: 0, endMs: 3000 },
      { itemId: 'r1', role: 'user', text: "Dans mon ancien poste, le contexte était une livraison en retard. Mon rôle était de coordonner les tests. J'ai mis en place un point quotidien, et au final nous avons livré deux semaines plus tôt.", startMs: 4000, endMs: 24000 },
    ]);
    const res = await rerun(alice, conversationId);
    expect(res.statusCode).toBe(202);
    expect(res.json().evaluation).toMatchObject({ kind: 'interview', language: 'fr', run: 1, rubric: { id: 'interview-v1' } });
    await t.ctx.services.scheduler.runDue();
    const done = (await get(alice, `/api/conversations/${conversationId}/evaluation`)).json().evaluation as Evaluation;
    expect(done.scorecard!.criteria.find((c) => c.id === 'structure')).toMatchObject({ level: 4, label: 'Structure (STAR)', levelLabel: 'Excellent' });
    expect(done.scorecard!.questions).toEqual([expect.objectContaining({ itemId: 'q1', question: 'Parlez-moi d’un conflit dans votre équipe.' })]);
  });

  it('names a bad rubric field, and refuses unknown fields', async () => {
    const conversationId = await conversation(alice);
    const bad = await rerun(admin, conversationId, { rubric: { id: 'x', language: 'en', criteria: [{ id: 'a', kind: 'scale', label: 'A', patterns: ['(a+)+'] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/rubric\.criteria\.0\.patterns/);
    expect((await rerun(admin, conversationId, { score: 100 })).statusCode).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('describes the evaluation routes with their schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    expect(Object.keys(doc.paths['/api/evaluations'] ?? {})).toEqual(['get']);
    expect(doc.paths['/api/evaluations/{id}']?.get?.responses).toHaveProperty('200');
    expect(doc.paths['/api/conversations/{id}/evaluation']?.get?.responses).toHaveProperty('200');
    expect(doc.paths['/api/conversations/{id}/evaluation']?.post?.responses).toHaveProperty('202');
    expect(JSON.stringify(doc.paths['/api/conversations/{id}/evaluation']?.post?.requestBody)).toContain('expectedMatches');
  });
});
