import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { llmUsage } from '../../db/schema.js';
import type { UsageRecord, UsageSink } from '../../providers/llm/index.js';

/** Stores every LLM call's metering record in llm_usage (the LLM layer never fails a call on it). */
export function createDbUsageSink(db: Db): UsageSink {
  return {
    async record(entry: UsageRecord) {
      await db.insert(llmUsage).values({
        id: randomUUID(),
        provider: entry.provider,
        model: entry.model,
        feature: entry.feature,
        userId: entry.userId ?? null,
        organizationId: entry.organizationId ?? null,
        inputTokens: Math.round(entry.inputTokens),
        outputTokens: Math.round(entry.outputTokens),
        latencyMs: Math.round(entry.latencyMs),
        outcome: entry.outcome,
        errorCode: entry.errorCode ?? null,
      });
    },
  };
}
