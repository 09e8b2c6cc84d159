/**
 * A loopback SMTP server (RFC 5321) for the mail tests: greeting, EHLO/HELO, AUTH PLAIN,
 * MAIL FROM, RCPT TO, DATA (dot-stuffing), RSET, NOOP, QUIT — what nodemailer's SMTP
 * transport speaks to a relay such as Brevo. It records each accepted message and can refuse
 * the next ones at a chosen step with a chosen reply code, or drop the connection.
 *
 * Minimal on purpose: the maintained `smtp-server` and `mailparser` packages (from the
 * nodemailer authors) are not installed in this repository. Messages are decoded only as far
 * as nodemailer encodes a plain-text email: one text/plain part in quoted-printable, base64
 * or 7bit, and RFC 2047 encoded words in the Subject.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  /** The envelope, as given to MAIL FROM / RCPT TO. */
  from: string;
  to: string[];
  /** The user of AUTH PLAIN, if the client authenticated. */
  user: string | null;
  headers: Record<string, string>;
  subject: string;
  text: string;
  raw: string;
}

export type SmtpStep = 'CONNECT' | 'MAIL' | 'RCPT' | 'DATA' | 'MESSAGE';

export interface FakeSmtp {
  port: number;
  /** smtp://user:pass@127.0.0.1:port for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /**
   * The next `count` transactions fail at `step`: with the reply `code` (e.g. 451 try later,
   * 550 mailbox unavailable), or by closing the connection when code is 0. MESSAGE answers the
   * end of the data (the message is then not accepted).
   */
  failNext(step: SmtpStep, code: number, count?: number): void;
  close(): Promise<void>;
}

function decodeQuotedPrintable(input: string): Buffer {
  const text = input.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=); adjacent ones join without their separating space. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, data: string) =>
    encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
  );
}

function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable' ? decodeQuotedPrintable(body).toString('utf8') : encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  // Lines end in CRLF on the wire; the text is given back with plain newlines.
  return { headers, subject: decodeWords(headers.subject ?? ''), text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

export async function startFakeSmtp(options: { user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const user = options.user ?? 'coachhub';
  const pass = options.pass ?? 'smtp-secret';
  const messages: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let failure: { step: SmtpStep; code: number; count: number } | null = null;

  /** Whether this transaction fails at `step` (consumes one planned failure). */
  const failsAt = (step: SmtpStep) => {
    if (!failure || failure.count <= 0 || failure.step !== step) return null;
    failure.count--;
    return failure.code;
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const refuse = (code: number) => (code === 0 ? socket.destroy() : reply(`${code} ${code >= 500 ? '5.0.0 Refused' : '4.0.0 Try again later'}`));

    let buffer = '';
    let authed: string | null = null;
    let awaitingAuth = false;
    let envelope: { from: string; to: string[] } | null = null;
    let data: string[] | null = null;

    const connectFailure = failsAt('CONNECT');
    if (connectFailure !== null) return refuse(connectFailure === 0 ? 0 : 421);
    reply('220 fake-smtp.coachhub.test ESMTP ready');

    const checkPlain = (b64: string) => {
      const [, u, p] = Buffer.from(b64, 'base64').toString('utf8').split('\u0000');
      if (u === user && p === pass) {
        authed = u;
        reply('235 2.7.0 Authentication successful');
      } else {
        reply('535 5.7.8 Authentication credentials invalid');
      }
    };

    const onLine = (line: string) => {
      if (data) {
        if (line === '.') {
          const raw = data.join('\r\n') + '\r\n';
          data = null;
          const code = failsAt('MESSAGE');
          if (code !== null) return refuse(code);
          messages.push({ from: envelope!.from, to: envelope!.to, user: authed, ...parseMessage(raw), raw });
          envelope = null;
          return reply(`250 2.0.0 Ok: queued as ${messages.length}`);
        }
        data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      if (awaitingAuth) {
        awaitingAuth = false;
        return checkPlain(line);
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          return reply('250-fake-smtp.coachhub.test\r\n250-SIZE 10485760\r\n250 AUTH PLAIN');
        case 'HELO':
          return reply('250 fake-smtp.coachhub.test');
        case 'AUTH': {
          const [mechanism, initial] = arg.split(' ');
          if (mechanism?.toUpperCase() !== 'PLAIN') return reply('504 5.5.4 Unrecognized authentication type');
          if (initial) return checkPlain(initial);
          awaitingAuth = true;
          return reply('334 ');
        }
        case 'MAIL': {
          if (!authed) return reply('530 5.7.0 Authentication required');
          const from = /^FROM:\s*<([^>]*)>/i.exec(arg)?.[1];
          if (from === undefined) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          const code = failsAt('MAIL');
          if (code !== null) return refuse(code);
          envelope = { from, to: [] };
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          if (!envelope) return reply('503 5.5.1 Error: need MAIL command');
          const to = /^TO:\s*<([^>]+)>/i.exec(arg)?.[1];
          if (!to) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          const code = failsAt('RCPT');
          if (code !== null) return refuse(code);
          envelope.to.push(to);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA': {
          if (!envelope?.to.length) return reply('503 5.5.1 Error: need RCPT command');
          const code = failsAt('DATA');
          if (code !== null) return refuse(code);
          data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        }
        case 'RSET':
          envelope = null;
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          return socket.end();
        default:
          return reply('502 5.5.2 Error: command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = Buffer.from(buffer.slice(0, end), 'latin1').toString('utf8');
        buffer = buffer.slice(end + 2);
        onLine(line);
        if (socket.destroyed) return;
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    messages,
    failNext: (step, code, count = 1) => {
      failure = { step, code, count };
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
