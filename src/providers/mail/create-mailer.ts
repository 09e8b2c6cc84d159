import { createTransport } from 'nodemailer';
import type { Mailer } from './types.js';

/** SMTP (nodemailer) when SMTP_URL is set; else the outbox transport, which only keeps mail in the database. */
export function createMailer(options: { smtpUrl?: string | undefined; from: string }): Mailer {
  if (!options.smtpUrl) {
    return { transport: 'outbox', send: async () => undefined, describe: () => ({ transport: 'outbox' }) };
  }
  // Timeouts well under the job lease (5 min), so a stuck server fails the attempt instead of
  // outliving it; the URL may override them (?socketTimeout=…).
  const transporter = createTransport({ url: options.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  const host = new URL(options.smtpUrl).hostname;
  return {
    transport: 'smtp',
    async send(message) {
      await transporter.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
    },
    describe: () => ({ transport: 'smtp', host }),
  };
}
