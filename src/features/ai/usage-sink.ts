import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { llmUsage } from '../../db/schema.js';
import type { UsageRecord, UsageSink } from '../../providers/llm/index.js';

/** Most rows written by one INSERT. */
const MAX_BATCH = 500;

interface Pending {
  row: typeof llmUsage.$inferInsert;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Stores every LLM call's metering record in llm_usage (the LLM layer never fails a call on it).
 * Group commit: the records of calls that end in the same event-loop turn are written by one
 * multi-row INSERT, so under load metering costs a fraction of a round trip per call instead of
 * one. Each `record()` still resolves only once its own row is stored.
 */
export function createDbUsageSink(db: Db): UsageSink {
  let queue: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await db.insert(llmUsage).values(batch.map((p) => p.row));
        batch.forEach((p) => p.resolve());
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    }
  }

  return {
    record(entry: UsageRecord) {
      return new Promise<void>((resolve, reject) => {
        queue.push({
          resolve,
          reject,
          row: {
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
          },
        });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
