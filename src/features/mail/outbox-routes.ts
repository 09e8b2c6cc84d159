import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAIL_STATUSES } from './tables.js';
import { actorOf } from '../../platform/auth-hook.js';
import type { Mail } from './outbox.js';

const ZOutboxMessage = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: z.enum(MAIL_STATUSES),
  transport: z.string(),
  attempts: z.number().describe('SMTP hand-overs so far (0 when the outbox is the delivery)'),
  error: z.string().nullable().describe('Why the last SMTP hand-over failed; the sending job retries it'),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/** The organization's emails (confirmations, reminders): the delivery when no SMTP is configured, the delivery log (with failures being retried) when it is. */
export async function outboxRoutes(app: FastifyInstance, mail: Mail): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/admin/outbox', {
    config: { roles: ['admin'] },
    schema: { tags: ['coaching sessions'], summary: "My organization's emails, newest first (admin)", response: { 200: z.object({ messages: z.array(ZOutboxMessage) }) } },
  }, async (request) => ({ messages: await mail.list(actorOf(request)) }));
}
