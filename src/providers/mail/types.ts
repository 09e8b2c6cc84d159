export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Hands a message to a transport. `outbox` keeps it in the database only (no SMTP configured). */
export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
  describe(): Record<string, unknown>;
}
