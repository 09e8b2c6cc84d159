import type { UsageRecord, UsageSink } from './types.js';

/** Keeps usage records in memory: for tests, benchmarks and running without a database. */
export class MemoryUsageSink implements UsageSink {
  readonly records: UsageRecord[] = [];

  async record(entry: UsageRecord): Promise<void> {
    this.records.push(entry);
  }

  clear(): void {
    this.records.length = 0;
  }
}
