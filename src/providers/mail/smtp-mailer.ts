import { createTransport } from 'nodemailer';
import { MailSendError, type Mailer } from './types.js';

/** nodemailer's error codes: connection-level ones mean the server was not (or no longer) reachable. */
const UNREACHABLE = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS']);

function toMailSendError(err: unknown): MailSendError {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : 'error';
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // A reply code means the server answered: it refused (sender, recipient or message).
  const kind = responseCode !== null && responseCode >= 400 ? 'refused' : UNREACHABLE.has(code) ? 'unreachable' : 'failed';
  return new MailSendError(kind, message, { responseCode, code, cause: err });
}

/** SMTP through nodemailer (SMTP_URL, e.g. smtps://user:pass@smtp-relay.brevo.com:465). */
export function createSmtpMailer(options: { smtpUrl: string; from: string }): Mailer {
  // Timeouts well under the job lease (5 min), so a stuck server fails the attempt instead of
  // outliving it; the URL may override them (?socketTimeout=…).
  const transporter = createTransport({ url: options.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  const host = new URL(options.smtpUrl).hostname;
  return {
    transport: 'smtp',
    async send(message) {
      try {
        await transporter.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.messageId ? { messageId: message.messageId } : {}),
        });
      } catch (err) {
        throw toMailSendError(err);
      }
    },
    describe: () => ({ transport: 'smtp', host }),
  };
}
