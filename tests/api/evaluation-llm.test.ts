import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/shared/api/evaluation.js';
import { requestedJsonSchema, startFakeOpenAi, type FakeOpenAiServer } from '../fakes/openai-server.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * The evaluation judged by a model: the app configured for OpenAI, answered by the loopback fake
 * (scripted JSON). The request must carry the rubric's JSON schema; the stored scorecard keeps
 * only quotes found in the transcript; invalid answers end in the heuristics.
 */
type Signed = Awaited<ReturnType<typeof signedInUser>>;
let fake: FakeOpenAiServer;
let t: TestApp;
let alice: Signed;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-test' });
  t = await createTestApp({ AI_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test', LLM_MAX_RETRIES: '0', JOBS_POLL_MS: '3600000' });
  alice = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id, locale: 'en' });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});
beforeEach(() => fake.reset());

async function interview(): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/conversations', headers: alice.headers, payload: { kind: 'interview', title: 'Node interview' } });
  const id = res.json().conversation.id as string;
  const items = [
    { itemId: 'q1', role: 'assistant', text: 'What is the event loop in Node.js?', startMs: 0, endMs: 3000 },
    { itemId: 'r1', role: 'user', text: 'The event loop runs callbacks when the call stack is empty, so I/O does not block the process.', startMs: 3500, endMs: 12000 },
  ];
  for (const item of items) await t.app.inject({ method: 'POST', url: `/api/conversations/${id}/items`, headers: alice.headers, payload: item });
  return id;
}

const answer = {
  criteria: [
    { id: 'technical_accuracy', met: null, level: 3, rationale: 'Correct on the essentials.', evidence: [{ itemId: 'r1', quote: 'runs callbacks when the call stack is empty' }] },
    { id: 'depth', met: null, level: 2, rationale: 'Explains why.', evidence: [{ itemId: 'r1', quote: 'the event loop uses libuv thread pools' }] },
    { id: 'communication', met: null, level: 4, rationale: 'Clear.', evidence: [] },
    { id: 'structure', met: null, level: 2, rationale: 'Short but ordered.', evidence: [] },
  ],
  questions: [{ itemId: 'q1', level: 3, rationale: 'Good answer.', evidence: [{ itemId: 'r1', quote: 'so I/O does not block the process' }] }],
  strengths: ['You explain the mechanism.'],
  improvements: ['Mention the phases of the loop.'],
};

describe(`an evaluation judged by a model (${testDbKind()})`, () => {
  it('asks with the rubric schema and stores an llm scorecard with verified quotes', async () => {
    const conversationId = await interview();
    fake.enqueue({ kind: 'json', value: answer });
    const res = await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/evaluation`, headers: alice.headers });
    expect(res.statusCode).toBe(202);
    await t.ctx.services.scheduler.runDue();

    expect(fake.requests).toHaveLength(1);
    const schema = requestedJsonSchema(fake.requests[0]!);
    expect(schema?.name).toBe('evaluation_scorecard');
    expect(JSON.stringify(schema?.schema)).toContain('"enum":["technical_accuracy","depth","communication","structure"]');

    const evaluation = (await t.app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/evaluation`, headers: alice.headers })).json().evaluation as Evaluation;
    expect(evaluation).toMatchObject({ status: 'completed', method: 'llm', kind: 'interview', language: 'en', score: 69 }); // 100 × (3×3 + 2×2 + 2×4 + 2×2) / (9×4)
    expect(evaluation.scorecard).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', droppedQuotes: 1, strengths: ['You explain the mechanism.'] });
    expect(evaluation.scorecard!.criteria[1]!.evidence).toEqual([]);
    expect(evaluation.scorecard!.questions).toEqual([
      { itemId: 'q1', question: 'What is the event loop in Node.js?', level: 3, rationale: 'Good answer.', evidence: [{ itemId: 'r1', speaker: 'user', quote: 'so I/O does not block the process', startMs: 3500 }] },
    ]);
  });

  it('falls back to the heuristics after two invalid answers, labelled so', async () => {
    const conversationId = await interview();
    fake.enqueue({ kind: 'json', text: 'not json' }, { kind: 'json', value: { criteria: [] } });
    await t.app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/evaluation`, headers: alice.headers });
    await t.ctx.services.scheduler.runDue();
    expect(fake.requests).toHaveLength(2);
    const evaluation = (await t.app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/evaluation`, headers: alice.headers })).json().evaluation as Evaluation;
    expect(evaluation).toMatchObject({ status: 'completed', method: 'heuristic', scorecard: { heuristicReason: 'invalid_output', provider: null } });
  });
});
