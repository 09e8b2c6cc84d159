import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.js';
import { migratedMemoryDatabase } from '../../../tests/helpers/memory-db.js';
import { llmUsage } from './tables.js';
import type { UsageRecord } from '../../providers/llm/index.js';
import { createDbUsageSink } from './usage-sink.js';

let database: Database;
beforeAll(async () => {
  database = await migratedMemoryDatabase();
}, 60_000);
afterAll(() => database.close());

const entry = (i: number): UsageRecord => ({ provider: 'offline', model: 'offline', feature: 'chat', inputTokens: i, outputTokens: 1, latencyMs: 1, outcome: 'ok' });

it('writes the records of one event-loop turn with one INSERT, and resolves each once stored', async () => {
  const insert = vi.spyOn(database.raw, 'query');
  const sink = createDbUsageSink(database.raw);
  await Promise.all(Array.from({ length: 30 }, (_, i) => sink.record(entry(i))));
  expect(insert).toHaveBeenCalledTimes(1);
  const rows = await database.db.select().from(llmUsage);
  expect(rows.map((r) => r.inputTokens).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  expect(rows.find((r) => r.inputTokens === 7)).toMatchObject({ provider: 'offline', feature: 'chat', userId: null, outputTokens: 1, outcome: 'ok', errorCode: null });
  insert.mockRestore();
});

it('rejects the records of a batch that could not be written', async () => {
  const sink = createDbUsageSink(database.raw);
  // feature is NOT NULL: the INSERT fails, and so does the record (metering then logs it).
  const bad = { ...entry(1), feature: null as unknown as string };
  await expect(sink.record(bad)).rejects.toThrow();
});
