/**
 * A loopback SMTP relay for the mail tests, built on `smtp-server` (the nodemailer authors'
 * SMTP server: greeting, EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with dot-stuffing, RSET…)
 * and `mailparser` (MIME, transfer encodings, RFC 2047 headers). It requires AUTH (like Brevo),
 * records every accepted message, can refuse the next transactions at a chosen step with a
 * chosen reply code — all of them, or only those to one recipient — and can stop listening
 * (connection refused) and start again on the same port. It can also hold its reply to a
 * message it has fully received (`stallNext`): the message is recorded — the relay has it and
 * may deliver it — while the client waits, as when a worker dies between the end of the data
 * and the server's answer.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope, as given to MAIL FROM / RCPT TO. */
  from: string;
  to: string[];
  /** The authenticated user (AUTH), or null. */
  user: string | null;
  /** The From header as a reader sees it, e.g. `"Coach Hub" <sessions@coachhub.test>`. */
  fromHeader: string;
  subject: string;
  text: string;
  /** The Message-ID header, e.g. `<id@coachhub.test>`. */
  messageId: string;
  raw: Buffer;
}

/** A held reply (stallNext): `received` resolves once the message is in; `release` answers it. */
export interface StalledReply {
  received: Promise<ReceivedMail>;
  /** Answers the held transaction: null accepts it (250), a code refuses it. */
  release(code: number | null): void;
}

/** Where a transaction is refused: MAIL FROM, RCPT TO, or the reply to the message data (DATA). */
export type SmtpStep = 'MAIL' | 'RCPT' | 'DATA';

export interface SmtpFailure {
  at: SmtpStep;
  /** The reply code, e.g. 451 (try again later) or 550 (mailbox unavailable). */
  code: number;
  /** How many transactions it refuses (default 1). */
  count?: number;
  /** Only transactions to this recipient (RCPT: that address; DATA: any envelope naming it). */
  to?: string;
}

export interface FakeSmtp {
  port: number;
  /** smtp://user:pass@127.0.0.1:port for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Refuses the next matching transactions (several plans may be pending at once). */
  failNext(failure: SmtpFailure): void;
  /** Holds the reply to the next message after recording it, until `release`. */
  stallNext(): StalledReply;
  /** Stops listening: clients get "connection refused" until start(). */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function smtpError(code: number): Error & { responseCode: number } {
  const message = code >= 500 ? '5.0.0 Refused by the test relay' : '4.0.0 Try again later';
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startFakeSmtp(options: { user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const user = options.user ?? 'coachhub';
  const pass = options.pass ?? 'smtp-secret';
  const messages: ReceivedMail[] = [];
  const plans: (Required<Omit<SmtpFailure, 'to'>> & Pick<SmtpFailure, 'to'>)[] = [];
  const stalls: { received: (mail: ReceivedMail) => void; released: Promise<number | null> }[] = [];

  /** The reply code this step fails with, if a plan matches (consumes one of its transactions). */
  const failureAt = (step: SmtpStep, recipients: string[]): number | null => {
    const i = plans.findIndex((p) => p.at === step && p.count > 0 && (p.to === undefined || recipients.includes(p.to)));
    if (i < 0) return null;
    const plan = plans[i]!;
    if (--plan.count === 0) plans.splice(i, 1);
    return plan.code;
  };
  const recipientsOf = (session: SMTPServerSession) => session.envelope.rcptTo.map((a) => a.address);

  const create = () =>
    new SMTPServer({
      name: 'fake-smtp.coachhub.test',
      logger: false,
      // Plain SMTP on loopback: no STARTTLS offered (nodemailer would upgrade to it), AUTH allowed without TLS.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      closeTimeout: 1000,
      onAuth(auth, _session, callback) {
        if (auth.username === user && auth.password === pass) return callback(null, { user: auth.username });
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom(_address, _session, callback) {
        const code = failureAt('MAIL', []);
        callback(code === null ? null : smtpError(code));
      },
      onRcptTo(address, _session, callback) {
        const code = failureAt('RCPT', [address.address]);
        callback(code === null ? null : smtpError(code));
      },
      onData(stream, session, callback) {
        // The whole message is read before answering, as a relay does.
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const code = failureAt('DATA', recipientsOf(session));
          if (code !== null) return callback(smtpError(code));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(async (parsed) => {
            const mail: ReceivedMail = {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: recipientsOf(session),
              user: typeof session.user === 'string' ? session.user : null,
              fromHeader: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: (parsed.text ?? '').replace(/\n$/, ''),
              messageId: parsed.messageId ?? '',
              raw,
            };
            messages.push(mail);
            const stall = stalls.shift();
            if (stall) {
              stall.received(mail);
              const held = await stall.released;
              if (held !== null) return callback(smtpError(held));
            }
            callback(null, `2.0.0 Ok: queued as ${messages.length}`);
          }, callback);
        });
      },
    });

  let server = create();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const net = server.listen(port, '127.0.0.1', () => resolve((net.address() as { port: number }).port));
      net.once('error', reject);
    });
  const stop = () => new Promise<void>((resolve) => server.close(resolve));

  const port = await listen(0);
  return {
    port,
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    messages,
    failNext: (failure) => {
      plans.push({ count: 1, ...failure });
    },
    stallNext: () => {
      let received!: (mail: ReceivedMail) => void;
      let release!: (code: number | null) => void;
      const receivedP = new Promise<ReceivedMail>((resolve) => (received = resolve));
      const released = new Promise<number | null>((resolve) => (release = resolve));
      stalls.push({ received, released });
      return { received: receivedP, release };
    },
    stop,
    start: async () => {
      server = create();
      await listen(port);
    },
    close: stop,
  };
}
