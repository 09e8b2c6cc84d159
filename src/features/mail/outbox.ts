import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailOutbox } from './tables.js';
import type { Actor } from '../../platform/actor.js';
import { inOrganization } from '../../platform/scope.js';
import { MailSendError, type MailMessage, type Mailer } from '../../providers/mail/types.js';

/** A failed SMTP hand-over, without the server's reply (it can name addresses: it stays in the outbox, out of logs). */
export class MailNotSentError extends Error {
  constructor(readonly reason: string) {
    super(`SMTP hand-over failed (${reason})`);
    this.name = 'MailNotSentError';
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof MailSendError) return [err.code, err.responseCode].filter((v) => v !== null).join(' ');
  return 'error';
}

export interface MailOptions {
  /** How long a worker holds a message it is handing to SMTP; after that, another sends it again. */
  sendLeaseMs?: number;
  /** The domain of the Message-IDs (this server's public host name). */
  messageIdDomain: string;
  now?: () => Date;
}

/**
 * Delivers mail once per `dedupeKey`: the message is recorded first (a unique key), then
 * handed to SMTP; without SMTP the record is the delivery ('stored', read by admins).
 *
 * A hand-over holds the row for `sendLeaseMs` ('sending', `lease_until`). A failed one stays
 * 'failed' (with the error, for admins) and is sent again by the next deliver() of the same key
 * — the retry of the job that sends it; so is one whose worker died mid-hand-over, once its
 * lease expired. Every hand-over of a row carries the same Message-ID (`<row id@domain>`), so a
 * receiver can recognise a message that did reach it before the crash. A message that was sent
 * is never sent again. Each claim raises `attempts`: a worker whose row was taken over records
 * no failure over the new holder's work (it still records a success: the message went).
 */
export function createMail(db: Db, mailer: Mailer, options: MailOptions) {
  const now = options.now ?? (() => new Date());
  const leaseMs = options.sendLeaseMs ?? 4 * 60_000;
  const messageIdOf = (rowId: string) => `<${rowId}@${options.messageIdDomain}>`;

  /** The row to send now: a new one, or a failed or abandoned one claimed for a retry (atomic: one worker wins). */
  async function claim(input: MailMessage & { dedupeKey: string; organizationId: string | null }) {
    const smtp = mailer.transport === 'smtp';
    const at = now();
    const leaseUntil = new Date(at.getTime() + leaseMs);
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
        leaseUntil: smtp ? leaseUntil : null,
      })
      .onConflictDoNothing({ target: mailOutbox.dedupeKey })
      .returning();
    if (created || !smtp) return created ?? null;
    const [retried] = await db
      .update(mailOutbox)
      .set({ status: 'sending', attempts: sql`${mailOutbox.attempts} + 1`, transport: 'smtp', leaseUntil })
      .where(
        and(
          eq(mailOutbox.dedupeKey, input.dedupeKey),
          or(eq(mailOutbox.status, 'failed'), and(eq(mailOutbox.status, 'sending'), lt(mailOutbox.leaseUntil, at))),
        ),
      )
      .returning();
    if (retried) return retried;
    const [current] = await db.select({ status: mailOutbox.status }).from(mailOutbox).where(eq(mailOutbox.dedupeKey, input.dedupeKey));
    // Another worker is handing it over right now: not done yet, so the job must come back.
    if (current?.status === 'sending') throw new MailNotSentError('being sent by another worker');
    return null;
  }

  return {
    mailer,
    messageIdOf,
    async deliver(input: MailMessage & { dedupeKey: string; organizationId: string | null }): Promise<'sent' | 'stored' | 'duplicate'> {
      const row = await claim(input);
      if (!row) return 'duplicate';
      if (row.status === 'stored') return 'stored';
      try {
        await mailer.send({ to: row.to, subject: row.subject, text: row.text, messageId: messageIdOf(row.id) });
      } catch (err) {
        // Only while this hand-over still holds the row: a worker that took it over decides.
        await db
          .update(mailOutbox)
          .set({ status: 'failed', error: err instanceof Error ? err.message : String(err), leaseUntil: null })
          .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.attempts, row.attempts)));
        throw new MailNotSentError(reasonOf(err));
      }
      await db.update(mailOutbox).set({ status: 'sent', sentAt: now(), error: null, leaseUntil: null }).where(eq(mailOutbox.id, row.id));
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
