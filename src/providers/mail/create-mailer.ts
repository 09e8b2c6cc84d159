import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';
import type { Mailer } from './types.js';

/** SMTP (nodemailer) when SMTP_URL is set; else the outbox transport, which only keeps mail in the database. */
export function createMailer(options: { smtpUrl?: string | undefined; from: string }): Mailer {
  return options.smtpUrl ? createSmtpMailer({ smtpUrl: options.smtpUrl, from: options.from }) : createOutboxMailer();
}
