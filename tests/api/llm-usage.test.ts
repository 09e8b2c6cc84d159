import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { llmUsage } from '../../src/features/ai/tables.js';
import { createTestApp, makeOrganization, makeUser, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('meters every LLM call in llm_usage with feature, user, organization, tokens, latency and outcome', async () => {
  const org = await makeOrganization(t.ctx);
  const { user } = await makeUser(t.ctx, { organizationId: org.id });
  const result = await t.ctx.services.llm.complete(
    { messages: [{ role: 'user', content: 'Bonjour, je manque de confiance en moi.' }], agent: { kind: 'chat' } },
    { feature: 'chat', userId: user.id, organizationId: org.id },
  );
  expect(result.text.length).toBeGreaterThan(0);
  // Metering is written in the background (it never delays or fails a call): wait for it.
  const rows = await vi.waitFor(async () => {
    const found = await t.ctx.database.db.select().from(llmUsage);
    expect(found).toHaveLength(1);
    return found;
  });
  expect(rows[0]).toMatchObject({ provider: 'offline', feature: 'chat', userId: user.id, organizationId: org.id, outcome: 'ok' });
  expect(rows[0]!.inputTokens).toBeGreaterThan(0);
  expect(rows[0]!.outputTokens).toBeGreaterThan(0);
  expect(rows[0]!.latencyMs).toBeGreaterThanOrEqual(0);
});
