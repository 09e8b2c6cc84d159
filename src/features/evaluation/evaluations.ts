import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { users } from '../../db/core-tables.js';
import { seesWholeOrganization, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertVisible, visibleTo } from '../../platform/scope.js';
import type { LlmService } from '../../providers/llm/index.js';
import type {
  Evaluation,
  EvaluationKind,
  EvaluationLanguage,
  EvaluationListQuery,
  EvaluationRunInput,
  EvaluationSummary,
  Rubric,
  RubricInput,
} from '../../shared/api/evaluation.js';
import type { ConversationStore } from '../conversations/conversation-store.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { evaluateTranscript } from './evaluate-transcript.js';
import { defaultRubric, parseRubric } from './rubrics.js';
import { evaluations } from './tables.js';
import { turnsFromItems } from './transcript.js';

export const EVALUATION_JOB = 'evaluation.run';
/** Attempts of a run before the evaluation is marked failed (the scheduler retries with backoff in between). */
const MAX_ATTEMPTS = 3;
const NO_USER_TURNS = 'The conversation has no user turns to evaluate.';
const FAILED = 'The evaluation failed; it can be re-run.';
const RETRYING = 'The last attempt failed; it will be retried.';

type Row = typeof evaluations.$inferSelect;

export interface EvaluateInput {
  organizationId: string;
  /** The user being evaluated: the conversation's owner. */
  userId: string;
  conversationId: string;
  rubric: Rubric | RubricInput;
  kind: EvaluationKind;
  /** Language of rationales and advice. */
  language: EvaluationLanguage;
  /** Run later than now (e.g. to let the last transcript items arrive); default 0. */
  delayMs?: number;
}

/** Called once per completed run (after it is stored); a failure is logged, never retried: schedule your own job for delivery that must not be lost. */
export type EvaluationListener = (evaluation: Evaluation) => void | Promise<void>;

export interface EvaluationsDeps {
  db: Db;
  llm: LlmService;
  conversations: ConversationStore;
  scheduler: Scheduler;
  logger: Logger;
  now?: () => Date;
}

const owned = { organizationId: evaluations.organizationId, ownerId: evaluations.userId };

export function summaryView(row: Row): EvaluationSummary {
  return {
    id: row.id,
    conversationId: row.conversationId,
    userId: row.userId,
    kind: row.kind,
    status: row.status,
    language: row.language,
    score: row.score,
    method: row.method,
    run: row.run,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export function evaluationView(row: Row): Evaluation {
  return { ...summaryView(row), rubric: row.rubric, scorecard: row.scorecard, metrics: row.metrics, error: row.error };
}

const encodeCursor = (row: Row) => Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError('VALIDATION_FAILED', 'Invalid cursor', { field: 'cursor' });
  return { createdAt, id };
}

/**
 * Evaluations of conversations (roleplay, interview), run in the background through the job
 * scheduler: one per conversation (asking again is a no-op), each run a job with a unique key
 * (`evaluation:<id>:<run>`), so it survives restarts and runs once across instances. A re-run
 * bumps `run`; a superseded run's results are never written.
 */
export function createEvaluations(deps: EvaluationsDeps) {
  const { db, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const listeners = new Set<EvaluationListener>();

  async function schedule(row: Row, delayMs = 0): Promise<void> {
    await deps.scheduler.schedule({
      key: `evaluation:${row.id}:${row.run}`,
      kind: EVALUATION_JOB,
      runAt: new Date(now().getTime() + delayMs),
      payload: { evaluationId: row.id, run: row.run },
    });
  }

  async function byConversation(conversationId: string): Promise<Row | undefined> {
    const [row] = await db.select().from(evaluations).where(eq(evaluations.conversationId, conversationId));
    return row;
  }

  async function notify(row: Row): Promise<void> {
    const view = evaluationView(row);
    for (const listener of listeners) {
      try {
        await listener(view);
      } catch (error) {
        logger.warn({ err: error, evaluationId: row.id }, 'evaluation listener failed');
      }
    }
  }

  /** Writes the end of a run, only if it is still the current run and running. */
  async function finish(row: Row, values: Partial<typeof evaluations.$inferInsert>): Promise<Row | undefined> {
    const [updated] = await db
      .update(evaluations)
      .set({ ...values, updatedAt: now() })
      .where(and(eq(evaluations.id, row.id), eq(evaluations.run, row.run), eq(evaluations.status, 'running')))
      .returning();
    return updated;
  }

  /** One run of an evaluation: what the job does (exported for tests and tools). */
  async function run(evaluationId: string, runNumber: number, attempts = 1): Promise<void> {
    const startedAt = now();
    const [row] = await db
      .update(evaluations)
      .set({ status: 'running', startedAt, updatedAt: startedAt })
      .where(and(eq(evaluations.id, evaluationId), eq(evaluations.run, runNumber), inArray(evaluations.status, ['pending', 'running'])))
      .returning();
    if (!row) return; // superseded by a re-run, deleted, or already finished
    try {
      const turns = turnsFromItems(await deps.conversations.items(row.conversationId));
      if (!turns.some((turn) => turn.speaker === 'user')) {
        await finish(row, { status: 'failed', error: NO_USER_TURNS, completedAt: now() });
        return;
      }
      const { scorecard, metrics } = await evaluateTranscript({
        llm: deps.llm,
        rubric: row.rubric,
        kind: row.kind,
        language: row.language,
        turns,
        ctx: { feature: `evaluation.${row.kind}`, userId: row.userId, organizationId: row.organizationId },
        logger: logger.child({ evaluationId: row.id }),
      });
      const done = await finish(row, { status: 'completed', score: scorecard.score, scorecard, metrics, method: scorecard.method, error: null, completedAt: now() });
      if (done) await notify(done);
    } catch (error) {
      const final = attempts >= MAX_ATTEMPTS;
      logger.warn({ err: error, evaluationId: row.id, run: row.run, attempts, final }, 'evaluation run failed');
      if (final) {
        await finish(row, { status: 'failed', error: FAILED, completedAt: now() });
        return;
      }
      await finish(row, { status: 'pending', error: RETRYING });
      throw error; // the scheduler retries with backoff
    }
  }

  deps.scheduler.handle(EVALUATION_JOB, (payload, job) => run(String(payload.evaluationId), Number(payload.run), job.attempts));

  return {
    /**
     * Asks for the evaluation of a conversation and returns it (pending until its job ran).
     * Idempotent per conversation: an existing evaluation is returned as is (use `rerun` to judge
     * it again). The conversation must belong to `organizationId` and `userId`.
     */
    async evaluate(input: EvaluateInput): Promise<Evaluation> {
      const rubric = parseRubric(input.rubric);
      const conversation = await deps.conversations.find(input.conversationId);
      if (!conversation || conversation.organizationId !== input.organizationId) throw new AppError('NOT_FOUND', 'Conversation not found.');
      if (conversation.userId !== input.userId) throw new AppError('VALIDATION_FAILED', 'Invalid userId: not the user of this conversation.', { field: 'userId' });
      const at = now();
      const [created] = await db
        .insert(evaluations)
        .values({
          id: randomUUID(),
          organizationId: input.organizationId,
          userId: input.userId,
          conversationId: input.conversationId,
          kind: input.kind,
          language: input.language,
          rubric,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing({ target: evaluations.conversationId })
        .returning();
      const row = created ?? (await byConversation(input.conversationId));
      if (!row) throw new AppError('CONFLICT', 'The evaluation was removed meanwhile; try again.');
      // Scheduling again is a no-op, and repairs a pending evaluation whose job was never created.
      if (row.status === 'pending') await schedule(row, input.delayMs);
      return evaluationView(row);
    },

    /**
     * Re-runs the evaluation of a conversation the actor may see (its owner, an admin, an API
     * key), creating it when there is none. Only admins and API keys may change the rubric, kind
     * or language: a learner re-runs with what their organization chose.
     */
    async rerun(actor: Actor, conversationId: string, input: EvaluationRunInput = {}): Promise<Evaluation> {
      const conversation = await deps.conversations.getVisible(actor, conversationId);
      const overrides = input.rubric !== undefined || input.kind !== undefined || input.language !== undefined;
      if (overrides && !seesWholeOrganization(actor)) throw new AppError('FORBIDDEN', 'Only an admin can change the rubric, kind or language of an evaluation.');
      const existing = await byConversation(conversationId);
      if (!existing) {
        const kind = input.kind ?? (conversation.kind === 'interview' ? 'interview' : 'roleplay');
        const [owner] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, conversation.userId));
        const language = input.language ?? input.rubric?.language ?? owner?.locale ?? 'fr';
        return this.evaluate({
          organizationId: conversation.organizationId,
          userId: conversation.userId,
          conversationId,
          rubric: input.rubric ?? defaultRubric(kind, language),
          kind,
          language,
        });
      }
      const at = now();
      const [row] = await db
        .update(evaluations)
        .set({
          run: existing.run + 1,
          status: 'pending',
          error: null,
          updatedAt: at,
          ...(input.rubric !== undefined ? { rubric: parseRubric(input.rubric) } : {}),
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.language !== undefined ? { language: input.language } : {}),
        })
        .where(and(eq(evaluations.id, existing.id), eq(evaluations.run, existing.run)))
        .returning();
      if (!row) throw new AppError('CONFLICT', 'The evaluation was re-run at the same time; try again.');
      await schedule(row);
      return evaluationView(row);
    },

    /** An evaluation the actor may see (404 in another organization, 403 another member's). */
    async get(actor: Actor, id: string): Promise<Evaluation> {
      const [row] = await db.select().from(evaluations).where(and(eq(evaluations.id, id), eq(evaluations.organizationId, actor.organizationId)));
      return evaluationView(assertVisible(actor, row, (r) => r.userId, 'Evaluation'));
    },

    /** The evaluation of a conversation the actor may see; 404 when it was never evaluated. */
    async forConversation(actor: Actor, conversationId: string): Promise<Evaluation> {
      await deps.conversations.getVisible(actor, conversationId);
      const row = await byConversation(conversationId);
      if (!row) throw new AppError('NOT_FOUND', 'This conversation has no evaluation yet.');
      return evaluationView(row);
    },

    /** The actor's evaluations (an admin or API key: the organization's), newest first, cursor-paginated. */
    async list(actor: Actor, query: EvaluationListQuery): Promise<{ evaluations: EvaluationSummary[]; nextCursor: string | null }> {
      const conditions: (SQL | undefined)[] = [query.kind ? eq(evaluations.kind, query.kind) : undefined, query.status ? eq(evaluations.status, query.status) : undefined];
      if (query.cursor) {
        const c = decodeCursor(query.cursor);
        conditions.push(or(lt(evaluations.createdAt, c.createdAt), and(eq(evaluations.createdAt, c.createdAt), lt(evaluations.id, c.id))));
      }
      const rows = await db
        .select()
        .from(evaluations)
        .where(visibleTo(actor, owned, ...conditions))
        .orderBy(desc(evaluations.createdAt), desc(evaluations.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { evaluations: page.map(summaryView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
    },

    /** Registers a listener of completed runs (webhooks, notifications); returns its removal. */
    onCompleted(listener: EvaluationListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    run,
  };
}

export type Evaluations = ReturnType<typeof createEvaluations>;
