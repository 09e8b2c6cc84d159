import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/features/jobs/tables.js';
import { mailOutbox } from '../../src/features/mail/tables.js';
import { createBookingMail } from '../../src/features/bookings/booking-mail.js';
import { createScheduler } from '../../src/features/jobs/scheduler.js';
import { book, coachWithOffer, HOUR, slot, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

const MIN = 60_000;
let t: TestApp;
let orgId: string;

beforeAll(async () => {
  // The background poller stays out of the way: these tests run the scheduler by hand.
  t = await createTestApp({ JOBS_POLL_MS: '3600000' });
  orgId = (await makeOrganization(t.ctx)).id;
});
afterAll(() => t.close());

const outboxFor = async (reservationId: string) =>
  t.ctx.database.db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `%:${reservationId}:%`));

describe('booking emails through the job scheduler and the outbox', () => {
  it('confirms the booking to both people, then reminds both 15 minutes before with the join link — once', async () => {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const start = utcAt(2, 10);
    const r = (await book(t, player.headers, announcement, start)).json().reservation;
    const scheduled = await t.ctx.database.db.select().from(jobs).where(like(jobs.key, `%:${r.id}%`));
    expect(scheduled.map((j) => [j.kind, j.runAt.getTime() <= Date.now() + 1000 ? 'now' : j.runAt.toISOString()]).sort()).toEqual([
      ['booking.confirmation', 'now'],
      ['booking.reminder', new Date(start.getTime() - 15 * MIN).toISOString()],
    ]);

    await t.ctx.services.scheduler.runDue();
    let mails = await outboxFor(r.id);
    expect(mails.map((m) => m.to).sort()).toEqual([coach.user.email, player.user.email].sort());
    expect(mails.every((m) => m.status === 'stored' && m.transport === 'outbox' && m.subject.startsWith('Séance réservée'))).toBe(true);

    // Not yet due; then due (simulated clock), then nothing more.
    await t.ctx.services.scheduler.runDue(start.getTime() - 16 * MIN);
    expect(await outboxFor(r.id)).toHaveLength(2);
    await t.ctx.services.scheduler.runDue(start.getTime() - 15 * MIN + 1000);
    mails = await outboxFor(r.id);
    const reminders = mails.filter((m) => m.subject.startsWith('Dans 15 minutes'));
    expect(reminders.map((m) => m.to).sort()).toEqual([coach.user.email, player.user.email].sort());
    expect(reminders[0]!.text).toContain('http://localhost:3000/sessions');
    await t.ctx.services.scheduler.runDue(start.getTime() + HOUR);
    expect(await outboxFor(r.id)).toHaveLength(4);
  });

  it('runs each due job once even with two workers claiming at the same time (a second instance after a restart)', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const players = await Promise.all(Array.from({ length: 4 }, () => signedInUser(t, { organizationId: orgId })));
    const ids: string[] = [];
    for (const [i, p] of players.entries()) ids.push((await book(t, p.headers, announcement, utcAt(3, 8 + i))).json().reservation.id);
    // Two fresh schedulers on the same database stand for two instances (or one restarted).
    const worker = () => {
      const s = createScheduler(t.ctx.database.db, { logger: t.ctx.logger, pollMs: 3_600_000, batchSize: 3 });
      createBookingMail(t.ctx.database.db, { mail: t.ctx.services.mail, scheduler: s, publicUrl: 'http://localhost:3000', reminderBeforeMs: 15 * MIN });
      return s;
    };
    const [one, other] = [worker(), worker()];
    let runs = 0;
    for (const s of [one, other]) {
      s.handle('count.me', async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
      });
    }
    for (let i = 0; i < 10; i++) await t.ctx.services.scheduler.schedule({ key: `count:${i}`, kind: 'count.me', runAt: new Date(), payload: {} });
    expect(await other.schedule({ key: 'count:0', kind: 'count.me', runAt: new Date(), payload: {} })).toBe(false);
    // Small batches so both workers keep claiming from the same due set until it is empty.
    const drain = async (s: typeof other) => {
      let claimed = 0;
      for (let n = -1; n !== 0; ) claimed += n = await s.runDue();
      return claimed;
    };
    const [a, b] = await Promise.all([drain(one), drain(other)]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBe(14);
    expect(runs).toBe(10);
    for (const id of ids) expect(await outboxFor(id)).toHaveLength(2);
  });

  it('takes over a job whose worker died (lease expired) without sending its mail twice', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(4, 10))).json().reservation;
    await t.ctx.services.scheduler.runDue();
    expect(await outboxFor(r.id)).toHaveLength(2);
    // Pretend the worker died after sending but before marking the job done.
    await t.ctx.database.db.update(jobs).set({ status: 'running', lockedUntil: new Date(Date.now() - 1000) }).where(eq(jobs.key, `confirmation:${r.id}`));
    await t.ctx.services.scheduler.runDue();
    const [job] = await t.ctx.database.db.select().from(jobs).where(eq(jobs.key, `confirmation:${r.id}`));
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    expect(await outboxFor(r.id)).toHaveLength(2);
  });

  it('cancels the reminder of a cancelled session and moves it with a rescheduled one', async () => {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const a = (await book(t, player.headers, announcement, utcAt(5, 10))).json().reservation;
    const b = (await book(t, player.headers, announcement, utcAt(5, 14))).json().reservation;
    await t.app.inject({ method: 'POST', url: `/api/reservations/${a.id}/cancel`, headers: player.headers });
    const moved = utcAt(6, 9);
    await t.app.inject({ method: 'POST', url: `/api/reservations/${b.id}/reschedule`, headers: coach.headers, payload: slot(moved) });
    const reminders = await t.ctx.database.db.select().from(jobs).where(and(eq(jobs.kind, 'booking.reminder'), like(jobs.key, `reminder:%`)));
    const of = (id: string) => reminders.filter((j) => j.key.startsWith(`reminder:${id}:`)).map((j) => [j.status, j.runAt.toISOString()]);
    expect(of(a.id)).toEqual([['cancelled', new Date(utcAt(5, 10).getTime() - 15 * MIN).toISOString()]]);
    expect(of(b.id).sort()).toEqual([
      ['cancelled', new Date(utcAt(5, 14).getTime() - 15 * MIN).toISOString()],
      ['pending', new Date(moved.getTime() - 15 * MIN).toISOString()],
    ].sort());
    await t.ctx.services.scheduler.runDue(moved.getTime());
    expect((await outboxFor(a.id)).filter((m) => m.subject.startsWith('Dans'))).toEqual([]);
    expect((await outboxFor(b.id)).filter((m) => m.subject.startsWith('Dans'))).toHaveLength(2);
  });

  it('shows the outbox to admins of the organization only', async () => {
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages.length).toBeGreaterThanOrEqual(4);
    const member = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: member.headers })).statusCode).toBe(403);
    const otherAdmin = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id, role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/outbox', headers: otherAdmin.headers })).json().messages).toEqual([]);
  });
});
