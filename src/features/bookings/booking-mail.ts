import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { announcements, reservations } from './tables.js';
import { users } from '../../db/core-tables.js';
import type { Mail } from '../mail/outbox.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { renderBookingMail, type BookingMailKind } from './booking-mail-text.js';
import type { BookingListener } from './reservations.js';

const JOB_CONFIRMATION = 'booking.confirmation';
const JOB_REMINDER = 'booking.reminder';

/**
 * Booking emails to both the coach and the player: a confirmation at booking and a reminder
 * 15 minutes before the start, with the join link, each in the recipient's language and time
 * zone. Both go through the job scheduler (unique keys) and the outbox (unique per recipient),
 * so nothing is sent twice; a failed SMTP hand-over fails the job, whose retry sends only the
 * messages that did not go.
 */
export function createBookingMail(db: Db, deps: { mail: Mail; scheduler: Scheduler; publicUrl: string; reminderBeforeMs: number; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const link = `${deps.publicUrl}/sessions`;

  async function send(kind: BookingMailKind, reservationId: string, startAtMs: number, jobKey: string): Promise<void> {
    const [r] = await db.select().from(reservations).where(eq(reservations.id, reservationId));
    // Cancelled or moved since: this job is stale (the move scheduled its own).
    if (!r || r.status !== 'booked' || r.startAt.getTime() !== startAtMs) return;
    const [ann] = await db.select({ title: announcements.title, discordUrl: announcements.discordUrl }).from(announcements).where(eq(announcements.id, r.announcementId));
    const people = await db.select().from(users).where(inArray(users.id, [r.coachId, r.playerId]));
    const byId = new Map(people.map((p) => [p.id, p]));
    let failed = 0;
    for (const [me, other] of [[r.coachId, r.playerId], [r.playerId, r.coachId]] as const) {
      const user = byId.get(me);
      if (!user) continue;
      const message = renderBookingMail(kind, user, { title: ann?.title ?? '', other: byId.get(other)?.name ?? '', startAt: r.startAt, link, discordUrl: r.discordUrl ?? ann?.discordUrl ?? null });
      // One recipient's failure does not hold the other's email back.
      await deps.mail.deliver({ ...message, to: user.email, organizationId: r.organizationId, dedupeKey: `${jobKey}:${user.id}` }).catch(() => failed++);
    }
    if (failed) throw new Error(`${failed} booking email(s) not handed to SMTP; the job retries them`);
  }

  deps.scheduler.handle(JOB_CONFIRMATION, (p, job) => send('confirmation', String(p.reservationId), Number(p.startAtMs), job.key));
  deps.scheduler.handle(JOB_REMINDER, (p, job) => send('reminder', String(p.reservationId), Number(p.startAtMs), job.key));

  async function scheduleReminder(r: typeof reservations.$inferSelect) {
    const startAtMs = r.startAt.getTime();
    const runAt = Math.max(now(), startAtMs - deps.reminderBeforeMs);
    await deps.scheduler.schedule({ key: `reminder:${r.id}:${startAtMs}`, kind: JOB_REMINDER, runAt: new Date(runAt), payload: { reservationId: r.id, startAtMs } });
  }

  const listener: BookingListener = {
    async booked(r) {
      const startAtMs = r.startAt.getTime();
      await deps.scheduler.schedule({ key: `confirmation:${r.id}`, kind: JOB_CONFIRMATION, runAt: new Date(now()), payload: { reservationId: r.id, startAtMs } });
      await scheduleReminder(r);
    },
    async rescheduled(r) {
      await deps.scheduler.cancelPending(`reminder:${r.id}:`);
      await scheduleReminder(r);
    },
    async cancelled(r) {
      await deps.scheduler.cancelPending(`reminder:${r.id}:`);
    },
  };
  return { listener };
}
