import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/features/jobs/tables.js';
import { mailOutbox } from '../../src/features/mail/tables.js';
import { createBookingMail } from '../../src/features/bookings/booking-mail.js';
import { createScheduler } from '../../src/features/jobs/scheduler.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { book, coachWithOffer, HOUR, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/**
 * Booking emails over real SMTP (nodemailer → a loopback SMTP server): confirmation and the
 * 15-minute reminder reach the coach and the player once each, in their own language and time
 * zone, through reruns and restarts of the scheduler; a refused hand-over is visible in the
 * admin outbox and sent by the job's retry.
 */
const MIN = 60_000;
const JOIN_LINK = 'http://localhost:3000/sessions';
let smtp: FakeSmtp;
let t: TestApp;
let orgId: string;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  // The background poller stays out of the way: these tests run the scheduler by hand.
  t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Coach Hub <sessions@coachhub.test>', JOBS_POLL_MS: '3600000' });
  orgId = (await makeOrganization(t.ctx)).id;
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** Another instance (or this one after a restart): a fresh scheduler and mail handlers on the same database. */
function restartedScheduler() {
  const s = createScheduler(t.ctx.database.db, { logger: t.ctx.logger, pollMs: 3_600_000 });
  createBookingMail(t.ctx.database.db, { mail: t.ctx.services.mail, scheduler: s, publicUrl: 'http://localhost:3000', reminderBeforeMs: 15 * MIN });
  return s;
}

const received = (email: string) => smtp.messages.filter((m) => m.to.includes(email));

async function pair() {
  const { coach, announcement } = await coachWithOffer(t, orgId, undefined, { locale: 'en', timeZone: 'America/New_York', name: 'Casey Coach' });
  const player = await signedInUser(t, { organizationId: orgId, locale: 'fr', timeZone: 'Asia/Tokyo', name: 'Pauline Joueuse' });
  return { coach, player, announcement };
}

describe('booking emails over SMTP', () => {
  it('confirms to both, then reminds both 15 minutes before, each in their language and time zone with the join link — once', async () => {
    const { coach, player, announcement } = await pair();
    const start = utcAt(2, 10); // 10:00 UTC = 19:00 in Tokyo, 05:00 or 06:00 in New York
    const r = (await book(t, player.headers, announcement, start)).json().reservation;

    await t.ctx.services.scheduler.runDue();
    const [toCoach] = received(coach.user.email);
    const [toPlayer] = received(player.user.email);
    expect(toCoach).toMatchObject({ from: 'sessions@coachhub.test', to: [coach.user.email], user: 'coachhub', fromHeader: '"Coach Hub" <sessions@coachhub.test>', subject: 'Session booked: Revue de parties' });
    expect(toCoach!.text).toContain('with Pauline Joueuse is booked for');
    expect(toCoach!.text).toMatch(/[56]:00\s?AM \(America\/New_York\)/);
    expect(toCoach!.text).toContain(`Join it from ${JOIN_LINK}`);
    expect(toPlayer).toMatchObject({ to: [player.user.email], subject: 'Séance réservée : Revue de parties' });
    expect(toPlayer!.text).toContain('avec Casey Coach est réservée pour le');
    expect(toPlayer!.text).toContain('19:00 (Asia/Tokyo)');
    expect(toPlayer!.text).toContain(`Rejoignez-la depuis ${JOIN_LINK}`);
    expect(toPlayer!.text).toContain('Discord : https://discord.gg/coachhub');
    for (const m of [toCoach!, toPlayer!]) expect(m.text).not.toMatch(/10:00|Europe\/Paris/);

    // Reruns, a second instance and a restart change nothing before the reminder is due…
    await t.ctx.services.scheduler.runDue();
    await restartedScheduler().runDue(start.getTime() - 16 * MIN);
    expect([received(coach.user.email).length, received(player.user.email).length]).toEqual([1, 1]);

    // …then the reminder goes once, however many workers run when it is due.
    const due = start.getTime() - 15 * MIN + 1000;
    await Promise.all([restartedScheduler().runDue(due), restartedScheduler().runDue(due), t.ctx.services.scheduler.runDue(due)]);
    await restartedScheduler().runDue(start.getTime() + HOUR);
    expect([received(coach.user.email).length, received(player.user.email).length]).toEqual([2, 2]);
    const coachReminder = received(coach.user.email)[1]!;
    const playerReminder = received(player.user.email)[1]!;
    expect(coachReminder.subject).toBe('Starting in 15 minutes: Revue de parties');
    expect(coachReminder.text).toMatch(new RegExp(`starts at [56]:00\\s?AM \\(America/New_York\\)\\.\\nJoin now: ${JOIN_LINK}`));
    expect(playerReminder.subject).toBe('Dans 15 minutes : Revue de parties');
    expect(playerReminder.text).toContain(`commence à 19:00 (Asia/Tokyo).\nRejoindre maintenant : ${JOIN_LINK}`);

    const outbox = await t.ctx.database.db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `%:${r.id}:%`));
    expect(outbox.map((m) => [m.status, m.transport, m.attempts])).toEqual(Array(4).fill(['sent', 'smtp', 1]));
  });

  it('retries a refused hand-over with the job, shows it as failed in the admin outbox meanwhile, and sends each email once', async () => {
    const { coach, player, announcement } = await pair();
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const r = (await book(t, player.headers, announcement, utcAt(3, 10))).json().reservation;

    // The relay refuses the coach's message (451, try again later); the player's goes through.
    smtp.failNext({ at: 'RCPT', code: 451, to: coach.user.email });
    const now = Date.now();
    await t.ctx.services.scheduler.runDue(now);
    expect(received(coach.user.email)).toHaveLength(0);
    expect(received(player.user.email)).toHaveLength(1);
    const [job] = await t.ctx.database.db.select().from(jobs).where(eq(jobs.key, `confirmation:${r.id}`));
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job!.runAt.getTime()).toBeGreaterThan(now);
    expect(job!.lastError).not.toContain('@'); // no address in the job table (or the logs)

    const outbox = async () => (await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: admin.headers })).json().messages as { to: string; subject: string; status: string; attempts: number; error: string | null }[];
    const failed = (await outbox()).find((m) => m.to === coach.user.email && m.subject.startsWith('Session booked'));
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.error).toMatch(/451/);

    // Not before the backoff; then once, and only the message that did not go.
    await restartedScheduler().runDue(now);
    expect(received(coach.user.email)).toHaveLength(0);
    await restartedScheduler().runDue(job!.runAt.getTime());
    await restartedScheduler().runDue(job!.runAt.getTime() + HOUR);
    expect(received(coach.user.email).map((m) => m.subject)).toEqual(['Session booked: Revue de parties']);
    expect(received(player.user.email)).toHaveLength(1);
    expect((await outbox()).find((m) => m.to === coach.user.email && m.subject.startsWith('Session booked'))).toMatchObject({ status: 'sent', attempts: 2, error: null });
    const [done] = await t.ctx.database.db.select().from(jobs).where(eq(jobs.key, `confirmation:${r.id}`));
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('resends a message whose data the relay refused (554 after the end of data), and only that one', async () => {
    const { coach, player, announcement } = await pair();
    const r = (await book(t, player.headers, announcement, utcAt(5, 10))).json().reservation;
    smtp.failNext({ at: 'DATA', code: 554, to: player.user.email });
    await t.ctx.services.scheduler.runDue();
    expect([received(coach.user.email).length, received(player.user.email).length]).toEqual([1, 0]);
    const rows = await t.ctx.database.db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `confirmation:${r.id}:%`));
    const toPlayer = rows.find((m) => m.to === player.user.email)!;
    expect(toPlayer).toMatchObject({ status: 'failed', attempts: 1 });
    expect(toPlayer.error).toMatch(/554/);

    const [job] = await t.ctx.database.db.select().from(jobs).where(eq(jobs.key, `confirmation:${r.id}`));
    await t.ctx.services.scheduler.runDue(job!.runAt.getTime());
    expect([received(coach.user.email).length, received(player.user.email).length]).toEqual([1, 1]);
    expect(received(player.user.email)[0]!.subject).toBe('Séance réservée : Revue de parties');
  });

  it('keeps both emails when the relay is unreachable, and sends them when it is back', async () => {
    const { coach, player, announcement } = await pair();
    const r = (await book(t, player.headers, announcement, utcAt(4, 10))).json().reservation;
    await smtp.stop();
    await t.ctx.services.scheduler.runDue().finally(() => smtp.start());
    const rows = await t.ctx.database.db.select().from(mailOutbox).where(and(like(mailOutbox.dedupeKey, `confirmation:${r.id}:%`)));
    expect(rows.map((m) => m.status)).toEqual(['failed', 'failed']);
    for (const row of rows) expect(row.error).toMatch(/ECONNREFUSED/);
    const [job] = await t.ctx.database.db.select().from(jobs).where(eq(jobs.key, `confirmation:${r.id}`));
    await t.ctx.services.scheduler.runDue(job!.runAt.getTime());
    expect([received(coach.user.email).length, received(player.user.email).length]).toEqual([1, 1]);
  });
});
