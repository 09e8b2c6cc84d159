import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailOutbox } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { inOrganization } from '../../platform/scope.js';
import type { MailMessage, Mailer } from '../../providers/mail/types.js';

/** A failed SMTP hand-over, without the server's reply (it can name addresses: it stays in the outbox, out of logs). */
export class MailNotSentError extends Error {
  constructor(readonly reason: string) {
    super(`SMTP hand-over failed (${reason})`);
    this.name = 'MailNotSentError';
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown } | null;
  return [typeof e?.code === 'string' ? e.code : 'error', typeof e?.responseCode === 'number' ? e.responseCode : null].filter(Boolean).join(' ');
}

/**
 * Delivers mail once per `dedupeKey`: the message is recorded first (a unique key), then
 * handed to SMTP; without SMTP the record is the delivery ('stored', read by admins).
 * A hand-over that failed stays 'failed' (with the error, for admins) and is sent again by
 * the next deliver() of the same key — the retry of the job that sends it. A message that was
 * sent, or is being sent, is never sent again.
 */
export function createMail(db: Db, mailer: Mailer) {
  /** The row to send now: a new one, or a failed one claimed for a retry (atomic: one worker wins). */
  async function claim(input: MailMessage & { dedupeKey: string; organizationId: string | null }) {
    const smtp = mailer.transport === 'smtp';
    const [created] = await db
      .insert(mailOutbox)
      .values({
        id: randomUUID(),
        organizationId: input.organizationId,
        dedupeKey: input.dedupeKey,
        to: input.to,
        subject: input.subject,
        text: input.text,
        status: smtp ? 'sending' : 'stored',
        transport: mailer.transport,
        attempts: smtp ? 1 : 0,
      })
      .onConflictDoNothing({ target: mailOutbox.dedupeKey })
      .returning();
    if (created || !smtp) return created ?? null;
    const [retried] = await db
      .update(mailOutbox)
      .set({ status: 'sending', attempts: sql`${mailOutbox.attempts} + 1`, transport: 'smtp' })
      .where(and(eq(mailOutbox.dedupeKey, input.dedupeKey), eq(mailOutbox.status, 'failed')))
      .returning();
    return retried ?? null;
  }

  return {
    mailer,
    async deliver(input: MailMessage & { dedupeKey: string; organizationId: string | null }): Promise<'sent' | 'stored' | 'duplicate'> {
      const row = await claim(input);
      if (!row) return 'duplicate';
      if (row.status === 'stored') return 'stored';
      try {
        await mailer.send({ to: row.to, subject: row.subject, text: row.text });
      } catch (err) {
        await db.update(mailOutbox).set({ status: 'failed', error: err instanceof Error ? err.message : String(err) }).where(eq(mailOutbox.id, row.id));
        throw new MailNotSentError(reasonOf(err));
      }
      await db.update(mailOutbox).set({ status: 'sent', sentAt: new Date(), error: null }).where(eq(mailOutbox.id, row.id));
      return 'sent';
    },

    /** The organization's outbox, newest first (admins). */
    async list(actor: Actor, limit = 100) {
      const rows = await db.select().from(mailOutbox).where(inOrganization(actor, mailOutbox.organizationId)).orderBy(desc(mailOutbox.createdAt)).limit(limit);
      return rows.map((r) => ({
        id: r.id,
        to: r.to,
        subject: r.subject,
        text: r.text,
        status: r.status,
        transport: r.transport,
        attempts: r.attempts,
        error: r.error,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
      }));
    },
  };
}

export type Mail = ReturnType<typeof createMail>;
