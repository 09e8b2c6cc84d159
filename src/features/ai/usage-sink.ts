import { randomUUID } from 'node:crypto';
import { defineStatement, type RawSql } from '../../db/raw.js';
import type { UsageRecord, UsageSink } from '../../providers/llm/index.js';

/** Most rows written by one INSERT. */
const MAX_BATCH = 500;

const COLUMNS = [
  ['id', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['feature', 'text'],
  ['user_id', 'text'],
  ['organization_id', 'text'],
  ['input_tokens', 'int'],
  ['output_tokens', 'int'],
  ['latency_ms', 'int'],
  ['outcome', 'text'],
  ['error_code', 'text'],
] as const;
type Row = Record<(typeof COLUMNS)[number][0], string | number | null>;

/** Any number of rows with one statement (one array per column), so it is prepared once. */
const INSERT_USAGE = defineStatement(
  'llm_usage_insert',
  (p) => `
    insert into llm_usage (${COLUMNS.map(([name]) => name).join(', ')})
    select * from unnest(${COLUMNS.map(([name, type]) => `${p(name)}::${type}[]`).join(', ')})`,
);

interface Pending {
  row: Row;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Stores every LLM call's metering record in llm_usage (the LLM layer never fails a call on it).
 * Group commit: the records of calls that end in the same event-loop turn are written by one
 * multi-row INSERT, so under load metering costs a fraction of a round trip per call instead of
 * one. Each `record()` still resolves only once its own row is stored.
 */
export function createDbUsageSink(db: RawSql): UsageSink {
  let queue: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await db.query(INSERT_USAGE, Object.fromEntries(COLUMNS.map(([name]) => [name, batch.map((p) => p.row[name])])));
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
            user_id: entry.userId ?? null,
            organization_id: entry.organizationId ?? null,
            input_tokens: Math.round(entry.inputTokens),
            output_tokens: Math.round(entry.outputTokens),
            latency_ms: Math.round(entry.latencyMs),
            outcome: entry.outcome,
            error_code: entry.errorCode ?? null,
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
