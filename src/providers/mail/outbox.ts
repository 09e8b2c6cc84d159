import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { mailOutbox } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { inOrganization } from '../../platform/scope.js';
import type { MailMessage, Mailer } from './mailer.js';

/**
 * Delivers mail at most once per `dedupeKey`: the message is recorded first (a unique key),
 * then handed to SMTP; without SMTP the record is the delivery ('stored', read by admins).
 */
export function createMail(db: Db, mailer: Mailer) {
  return {
    mailer,
    async deliver(input: MailMessage & { dedupeKey: string; organizationId: string | null }): Promise<'sent' | 'stored' | 'duplicate'> {
      const [row] = await db
        .insert(mailOutbox)
        .values({
          id: randomUUID(),
          organizationId: input.organizationId,
          dedupeKey: input.dedupeKey,
          to: input.to,
          subject: input.subject,
          text: input.text,
          status: mailer.transport === 'smtp' ? 'sending' : 'stored',
          transport: mailer.transport,
        })
        .onConflictDoNothing({ target: mailOutbox.dedupeKey })
        .returning();
      if (!row) return 'duplicate';
      if (mailer.transport === 'outbox') return 'stored';
      try {
        await mailer.send(input);
      } catch (err) {
        // Recorded as failed and not retried automatically: a retry could send it twice.
        await db.update(mailOutbox).set({ status: 'failed', error: err instanceof Error ? err.message : String(err) }).where(eq(mailOutbox.id, row.id));
        throw err;
      }
      await db.update(mailOutbox).set({ status: 'sent', sentAt: new Date() }).where(eq(mailOutbox.id, row.id));
      return 'sent';
    },

    /** The organization's outbox, newest first (admins). */
    async list(actor: Actor, limit = 100) {
      const rows = await db.select().from(mailOutbox).where(inOrganization(actor, mailOutbox.organizationId)).orderBy(desc(mailOutbox.createdAt)).limit(limit);
      return rows.map((r) => ({ id: r.id, to: r.to, subject: r.subject, text: r.text, status: r.status, transport: r.transport, createdAt: r.createdAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null }));
    },
  };
}

export type Mail = ReturnType<typeof createMail>;
