import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { announcements, reservations, users } from '../../db/schema.js';
import type { Mail } from '../../providers/mail/outbox.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { BookingListener } from './reservations.js';

type Locale = 'fr' | 'en';
type Kind = 'confirmation' | 'reminder';

const JOB_CONFIRMATION = 'booking.confirmation';
const JOB_REMINDER = 'booking.reminder';

function render(kind: Kind, locale: Locale, v: { name: string; title: string; other: string; when: string; link: string }) {
  if (locale === 'en') {
    return kind === 'confirmation'
      ? { subject: `Session booked: ${v.title}`, text: `Hello ${v.name},\n\nYour session "${v.title}" with ${v.other} is booked for ${v.when}.\nJoin it from ${v.link} (the room opens 15 minutes before).\n\nCoach Hub` }
      : { subject: `Starting in 15 minutes: ${v.title}`, text: `Hello ${v.name},\n\nYour session "${v.title}" with ${v.other} starts at ${v.when}.\nJoin now: ${v.link}\n\nCoach Hub` };
  }
  return kind === 'confirmation'
    ? { subject: `Séance réservée : ${v.title}`, text: `Bonjour ${v.name},\n\nVotre séance « ${v.title} » avec ${v.other} est réservée pour le ${v.when}.\nRejoignez-la depuis ${v.link} (la salle ouvre 15 minutes avant).\n\nCoach Hub` }
    : { subject: `Dans 15 minutes : ${v.title}`, text: `Bonjour ${v.name},\n\nVotre séance « ${v.title} » avec ${v.other} commence à ${v.when}.\nRejoindre maintenant : ${v.link}\n\nCoach Hub` };
}

/**
 * Booking emails to both the coach and the player: a confirmation at booking and a reminder
 * 15 minutes before the start, with the join link. Both go through the job scheduler (unique
 * keys) and the outbox (unique per recipient), so nothing is sent twice.
 */
export function createBookingMail(db: Db, deps: { mail: Mail; scheduler: Scheduler; publicUrl: string; reminderBeforeMs: number; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const link = `${deps.publicUrl}/sessions`;

  async function send(kind: Kind, reservationId: string, startAtMs: number, jobKey: string): Promise<void> {
    const [r] = await db.select().from(reservations).where(eq(reservations.id, reservationId));
    // Cancelled or moved since: this job is stale (the move scheduled its own).
    if (!r || r.status !== 'booked' || r.startAt.getTime() !== startAtMs) return;
    const [ann] = await db.select({ title: announcements.title }).from(announcements).where(eq(announcements.id, r.announcementId));
    const people = await db.select().from(users).where(inArray(users.id, [r.coachId, r.playerId]));
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const [me, other] of [[r.coachId, r.playerId], [r.playerId, r.coachId]] as const) {
      const user = byId.get(me);
      if (!user) continue;
      const when = new Intl.DateTimeFormat(user.locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(r.startAt) + (user.locale === 'fr' ? ' (heure de Paris)' : ' (Paris time)');
      const message = render(kind, user.locale, { name: user.name, title: ann?.title ?? '', other: byId.get(other)?.name ?? '', when, link });
      await deps.mail.deliver({ ...message, to: user.email, organizationId: r.organizationId, dedupeKey: `${jobKey}:${user.id}` });
    }
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
