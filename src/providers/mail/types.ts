export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * The Message-ID header, `<id@domain>`. The outbox gives every row its own, the same on each
   * hand-over of that row, so a receiver can recognise a message sent twice (a retry after a crash).
   */
  messageId?: string;
}

/**
 * Hands a message to a transport. `smtp` delivers it (nodemailer); `outbox` keeps it in the
 * database only (no SMTP configured: the outbox row is the delivery, read by admins). Every
 * adapter passes the shared contract (contract.ts). A refused or failed hand-over is a
 * MailSendError, whatever the adapter.
 */
export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  /** For /api/health: what is active, without secrets. */
  describe(): Record<string, unknown>;
}

export type MailFailure =
  /** The server refused the sender, a recipient or the message (a 4xx/5xx reply). */
  | 'refused'
  /** The server could not be reached, or the connection broke. */
  | 'unreachable'
  /** Anything else (authentication, TLS, a timeout). */
  | 'failed';

/**
 * A hand-over that did not happen. `message` carries the server's reply (it can name an
 * address: keep it out of info logs); `responseCode` is the SMTP reply code when there was one;
 * `permanent` is true for 5xx replies (retrying the same message will not help).
 */
export class MailSendError extends Error {
  readonly kind: MailFailure;
  readonly responseCode: number | null;
  readonly code: string;
  constructor(kind: MailFailure, message: string, options: { responseCode?: number | null; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailSendError';
    this.kind = kind;
    this.responseCode = options.responseCode ?? null;
    this.code = options.code ?? kind;
  }

  get permanent(): boolean {
    return this.responseCode !== null && this.responseCode >= 500;
  }
}
