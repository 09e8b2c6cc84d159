import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/features/jobs/tables.js';
import { mailOutbox } from '../../src/features/mail/tables.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { book, coachWithOffer, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * A worker that dies between handing an email to SMTP and hearing the answer (issue 11): the
 * relay has the message, the outbox row stays 'sending', the job stays 'running'. A second
 * instance takes the job over once its lease expired, sends the abandoned message again with
 * the same Message-ID (receivers deduplicate on it) and the other recipient's for the first
 * time, and marks the job done. When the first worker finally hears back (a failure), it
 * records nothing over the second one's work: neither the email nor the job.
 */
describe(`a crash between the hand-over and its answer (${testDbKind()})`, () => {
  let smtp: FakeSmtp;
  let a: TestApp;
  let b: TestApp;
  const env = () => ({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Coach Hub <sessions@coachhub.test>',
    // The background poller stays out of the way: the test runs each instance's scheduler.
    JOBS_POLL_MS: '3600000',
    JOBS_LEASE_MS: '1000',
    MAIL_SEND_LEASE_MS: '1000',
  });

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    a = await createTestApp(env());
    b = await createTestApp(env(), { shareDatabaseWith: a });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await smtp?.close();
  });

  /** Resolves once the real clock is past `until` (a lease), checked against the row itself. */
  async function pastLease(read: () => Promise<Date | null | undefined>): Promise<void> {
    for (;;) {
      const until = await read();
      if (until && Date.now() > until.getTime()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('sends the abandoned message again after its lease, with the same Message-ID, and the job is done once', async () => {
    const orgId = (await makeOrganization(a.ctx)).id;
    const { coach, announcement } = await coachWithOffer(a, orgId, undefined, { name: 'Casey Coach' });
    const player = await signedInUser(a, { organizationId: orgId, name: 'Pauline Joueuse' });
    const reservationId = (await book(a, player.headers, announcement, utcAt(3, 10))).json().reservation.id as string;
    const db = a.ctx.database.db;
    const jobKey = `confirmation:${reservationId}`;

    // Instance A claims the confirmation and hands the first email over; the relay records it
    // and never answers: A is stuck there, as if it had died.
    const stall = smtp.stallNext();
    const runA = a.ctx.services.scheduler.runDue();
    const first = await stall.received;
    const [abandoned] = await db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `${jobKey}:%`));
    expect(abandoned).toMatchObject({ status: 'sending', attempts: 1 });
    expect(first.messageId).toBe(`<${abandoned!.id}@localhost>`);

    // Both leases expire; instance B takes the job over.
    await pastLease(async () => (await db.select().from(jobs).where(eq(jobs.key, jobKey)))[0]?.lockedUntil);
    await pastLease(async () => (await db.select().from(mailOutbox).where(eq(mailOutbox.id, abandoned!.id)))[0]?.leaseUntil);
    expect(await b.ctx.services.scheduler.runDue()).toBe(1);

    const toCoach = smtp.messages.filter((m) => m.to.includes(coach.user.email));
    const toPlayer = smtp.messages.filter((m) => m.to.includes(player.user.email));
    const firstTo = first.to[0] === coach.user.email ? toCoach : toPlayer;
    const otherTo = firstTo === toCoach ? toPlayer : toCoach;
    // The abandoned message twice, with one Message-ID; the other recipient's once.
    expect(firstTo.map((m) => m.messageId)).toEqual([first.messageId, first.messageId]);
    expect(firstTo[1]!.subject).toBe(first.subject);
    expect(otherTo).toHaveLength(1);
    expect(otherTo[0]!.messageId).not.toBe(first.messageId);
    const rows = await db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `${jobKey}:%`));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(rows.find((r) => r.id === abandoned!.id)!.attempts).toBe(2);
    const [taken] = await db.select().from(jobs).where(eq(jobs.key, jobKey));
    expect(taken).toMatchObject({ status: 'done', attempts: 2 });

    // A hears back at last — a refusal — and finishes its run: it must not undo B's outcome.
    stall.release(451);
    await runA;
    const after = await db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `${jobKey}:%`));
    expect(after.map((r) => ({ status: r.status, error: r.error }))).toEqual([
      { status: 'sent', error: null },
      { status: 'sent', error: null },
    ]);
    const [job] = await db.select().from(jobs).where(eq(jobs.key, jobKey));
    expect(job).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    expect(smtp.messages.filter((m) => m.to.includes(coach.user.email) || m.to.includes(player.user.email))).toHaveLength(3);
  });

  it('a message another worker is still handing over (lease alive) is not sent twice: the job comes back later', async () => {
    const orgId = (await makeOrganization(a.ctx)).id;
    const mailA = a.ctx.services.mail;
    const stall = smtp.stallNext();
    const dedupeKey = `test:${orgId}:lease`;
    const message = { to: 'lease@example.test', subject: 'Lease', text: 'Held', dedupeKey, organizationId: orgId };
    const sending = mailA.deliver(message);
    await stall.received;
    // B, while A still holds the row: not done, so its job fails and retries later.
    await expect(b.ctx.services.mail.deliver(message)).rejects.toMatchObject({ name: 'MailNotSentError' });
    stall.release(null);
    expect(await sending).toBe('sent');
    expect(await b.ctx.services.mail.deliver(message)).toBe('duplicate');
    expect(smtp.messages.filter((m) => m.to.includes('lease@example.test'))).toHaveLength(1);
  });
});
