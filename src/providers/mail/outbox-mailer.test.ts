import { describeMailerContract } from './contract.js';
import { createMailer } from './create-mailer.js';

describeMailerContract('outbox only (no SMTP_URL)', { mailer: () => createMailer({ from: 'Coach Hub <sessions@coachhub.test>' }) });
