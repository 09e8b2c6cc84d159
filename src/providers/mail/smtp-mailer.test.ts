import { afterAll, beforeAll } from 'vitest';
import { startFakeSmtp, type FakeSmtp } from '../../../tests/fakes/smtp-server.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { describeMailerContract } from './contract.js';
import { createMailer } from './create-mailer.js';

let smtp: FakeSmtp;
let deadUrl: string;
beforeAll(async () => {
  smtp = await startFakeSmtp({ pass: 'contract-secret' });
  deadUrl = `smtp://coachhub:contract-secret@127.0.0.1:${await freePort()}`;
});
afterAll(() => smtp.close());

const from = 'Coach Hub <sessions@coachhub.test>';

describeMailerContract('smtp (nodemailer → loopback SMTP relay)', {
  mailer: () => createMailer({ smtpUrl: smtp.url, from }),
  secret: 'contract-secret',
  delivery: {
    fromHeader: '"Coach Hub" <sessions@coachhub.test>',
    received: () => smtp.messages,
    refuseRecipient: (address, code) => smtp.failNext({ at: 'RCPT', code, to: address }),
    unreachable: () => createMailer({ smtpUrl: deadUrl, from }),
  },
});
