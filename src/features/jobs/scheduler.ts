import { randomUUID } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { jobs } from './tables.js';

export type JobHandler = (payload: Record<string, unknown>, job: { key: string; attempts: number }) => Promise<void>;

export interface SchedulerOptions {
  logger: Logger;
  pollMs: number;
  /** How long a claimed job is held before another worker may take it over. */
  leaseMs?: number;
  maxAttempts?: number;
  batchSize?: number;
}

/**
 * A database-backed job scheduler: jobs survive restarts, are scheduled once per unique key
 * and claimed atomically (`FOR UPDATE SKIP LOCKED`), so with several workers or instances a
 * job runs once. Failed jobs are retried with backoff, up to `maxAttempts`. A claim holds the
 * job for `leaseMs`; a job whose worker died is claimed again after that. Every claim raises
 * `attempts`, which is the claim's fencing token: a worker records the outcome (done, failed,
 * retry) only while the job is still its own claim — one whose lease was taken over records
 * nothing.
 */
export function createScheduler(db: Db, options: SchedulerOptions) {
  const handlers = new Map<string, JobHandler>();
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function claim(nowMs: number, limit: number) {
    const now = new Date(nowMs);
    const result = await db.execute(sql`
      UPDATE ${jobs} SET status = 'running', attempts = attempts + 1, locked_until = ${new Date(nowMs + leaseMs)}
      WHERE id IN (
        SELECT id FROM ${jobs}
        WHERE run_at <= ${now} AND (status = 'pending' OR (status = 'running' AND locked_until < ${now}))
        ORDER BY run_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, key, kind, payload, attempts`);
    // Both drivers (node-postgres, PGlite) answer { rows }.
    return (result as unknown as { rows: { id: string; key: string; kind: string; payload: Record<string, unknown>; attempts: number }[] }).rows;
  }

  /** The job is still this claim's: running, and not claimed again since (attempts is the fencing token). */
  const stillMine = (job: { id: string; attempts: number }) => and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.attempts, job.attempts));

  async function runDue(nowMs = Date.now()): Promise<number> {
    const claimed = await claim(nowMs, options.batchSize ?? 20);
    for (const job of claimed) {
      const handler = handlers.get(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job.payload, { key: job.key, attempts: job.attempts });
        const done = await db
          .update(jobs)
          .set({ status: 'done', finishedAt: new Date(), lockedUntil: null, lastError: null })
          .where(stillMine(job))
          .returning({ id: jobs.id });
        if (!done.length) options.logger.info({ jobKey: job.key, attempts: job.attempts }, 'job finished after its lease was taken over; the new claim records the outcome');
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const final = job.attempts >= maxAttempts;
        const recorded = await db
          .update(jobs)
          .set(final ? { status: 'failed', lastError: message, lockedUntil: null, finishedAt: new Date() } : { status: 'pending', lastError: message, lockedUntil: null, runAt: new Date(nowMs + Math.min(3_600_000, 30_000 * 2 ** job.attempts)) })
          .where(stillMine(job))
          .returning({ id: jobs.id });
        options.logger.warn({ jobKey: job.key, attempts: job.attempts, final, leaseLost: !recorded.length, err }, 'job failed');
      }
    }
    return claimed.length;
  }

  const tick = () => {
    if (running) return;
    running = runDue()
      .catch((err: unknown) => {
        options.logger.warn({ err }, 'job poll failed');
        return 0;
      })
      .finally(() => {
        running = null;
      });
  };

  return {
    handle(kind: string, handler: JobHandler): void {
      handlers.set(kind, handler);
    },

    /** Schedules a job once: a second call with the same key changes nothing. True when created. */
    async schedule(input: { key: string; kind: string; runAt: Date; payload: Record<string, unknown> }): Promise<boolean> {
      const rows = await db
        .insert(jobs)
        .values({ id: randomUUID(), key: input.key, kind: input.kind, runAt: input.runAt, payload: input.payload })
        .onConflictDoNothing({ target: jobs.key })
        .returning({ id: jobs.id });
      return rows.length > 0;
    },

    /** Cancels the pending jobs whose key starts with `prefix`. */
    async cancelPending(prefix: string): Promise<number> {
      const rows = await db
        .update(jobs)
        .set({ status: 'cancelled', finishedAt: new Date() })
        .where(and(eq(jobs.status, 'pending'), like(jobs.key, `${prefix.replace(/[%_\\]/g, '\\$&')}%`)))
        .returning({ id: jobs.id });
      return rows.length;
    },

    /** Claims and runs the jobs due at `nowMs`; returns how many were claimed. */
    runDue,

    start(): void {
      if (timer) return;
      timer = setInterval(tick, options.pollMs);
      timer.unref();
      tick();
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
