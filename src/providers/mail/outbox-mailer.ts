import type { Mailer } from './types.js';

/** No SMTP configured: the outbox row is the delivery (admins read it); sending hands nothing over. */
export function createOutboxMailer(): Mailer {
  return { transport: 'outbox', send: async () => undefined, describe: () => ({ transport: 'outbox' }) };
}
