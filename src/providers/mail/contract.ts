/**
 * The contract every Mailer passes (run from each adapter's test file): a message is handed
 * over as given — headers, recipients, text, the Message-ID — and a failed hand-over is a
 * MailSendError saying why (refused, with the server's reply code, or unreachable), never an
 * untyped error. Transports that deliver nothing (the outbox) only promise to accept.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MailSendError, type Mailer } from './types.js';

/** A message as the receiving server saw it. */
export interface DeliveredMail {
  /** The envelope recipients (RCPT TO). */
  to: string[];
  fromHeader: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface MailerContractHarness {
  mailer(): Mailer;
  /** A secret of the configuration (a password) that describe() must never show. */
  secret?: string;
  /** For transports that deliver: the receiving server's side. */
  delivery?: {
    /** The From header the mailer is configured with, as a reader sees it. */
    fromHeader: string;
    received(): DeliveredMail[];
    /** The server refuses this recipient at RCPT with `code`, once. */
    refuseRecipient(address: string, code: number): void;
    /** A mailer whose server cannot be reached. */
    unreachable(): Mailer;
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the hand-over to fail');
}

export function describeMailerContract(name: string, harness: MailerContractHarness): void {
  describe(`Mailer contract: ${name}`, () => {
    const address = () => `someone-${randomUUID().slice(0, 8)}@example.test`;
    const message = (to: string, messageId?: string) => ({
      to,
      subject: 'Votre séance est confirmée — jeudi à 19:00',
      text: 'Bonjour Élodie,\n\nVotre séance avec Camille est confirmée.\nÀ bientôt !',
      ...(messageId ? { messageId } : {}),
    });

    it('accepts a message and describes itself without secrets', async () => {
      const mailer = harness.mailer();
      await mailer.send(message(address(), `<${randomUUID()}@coachhub.test>`));
      expect(['smtp', 'outbox']).toContain(mailer.transport);
      expect(mailer.describe()).toMatchObject({ transport: mailer.transport });
      if (harness.secret) expect(JSON.stringify(mailer.describe())).not.toContain(harness.secret);
    });

    const delivery = harness.delivery;
    if (!delivery) {
      it('delivers nothing itself: the outbox row is the delivery', () => {
        expect(harness.mailer().transport).toBe('outbox');
      });
      return;
    }

    it('delivers the headers, the recipient and the text as given (accents included)', async () => {
      const to = address();
      await harness.mailer().send(message(to));
      const got = delivery.received().filter((m) => m.to.includes(to));
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ to: [to], fromHeader: delivery.fromHeader, subject: message(to).subject, text: message(to).text });
      expect(got[0]!.messageId).toMatch(/^<.+@.+>$/);
    });

    it('passes the Message-ID through unchanged, the same on every hand-over of one message', async () => {
      const to = address();
      const messageId = `<${randomUUID()}@coachhub.test>`;
      const mailer = harness.mailer();
      await mailer.send(message(to, messageId));
      await mailer.send(message(to, messageId));
      expect(delivery.received().filter((m) => m.to.includes(to)).map((m) => m.messageId)).toEqual([messageId, messageId]);
    });

    it('a refused recipient is a MailSendError "refused" with the reply code (4xx temporary, 5xx permanent)', async () => {
      for (const code of [451, 550]) {
        const to = address();
        delivery.refuseRecipient(to, code);
        const err = await failureOf(harness.mailer().send(message(to)));
        expect(err).toBeInstanceOf(MailSendError);
        expect(err).toMatchObject({ kind: 'refused', responseCode: code, permanent: code >= 500 });
        expect(delivery.received().filter((m) => m.to.includes(to))).toHaveLength(0);
      }
    });

    it('an unreachable server is a MailSendError "unreachable"', async () => {
      const err = await failureOf(delivery.unreachable().send(message(address())));
      expect(err).toBeInstanceOf(MailSendError);
      expect(err).toMatchObject({ kind: 'unreachable', responseCode: null, permanent: false });
    });
  });
}
