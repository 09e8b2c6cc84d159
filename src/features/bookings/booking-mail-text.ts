import { DEFAULT_TIME_ZONE, type Locale } from '../../shared/accounts.js';
import { isTimeZone } from '../../shared/time-zone.js';

export type BookingMailKind = 'confirmation' | 'reminder';

export interface BookingMailRecipient {
  name: string;
  locale: Locale;
  /** The recipient's own IANA time zone: each person reads the time on their own clock. */
  timeZone: string;
}

export interface BookingMailFacts {
  title: string;
  /** The other person of the session. */
  other: string;
  startAt: Date;
  /** Where to join (the sessions page). */
  link: string;
  discordUrl: string | null;
}

/** A date in the recipient's language and zone, naming the zone (times are stored in UTC). */
function formatIn(recipient: BookingMailRecipient, date: Date, style: 'dateTime' | 'time'): string {
  const timeZone = isTimeZone(recipient.timeZone) ? recipient.timeZone : DEFAULT_TIME_ZONE;
  const options: Intl.DateTimeFormatOptions = style === 'dateTime' ? { dateStyle: 'full', timeStyle: 'short', timeZone } : { timeStyle: 'short', timeZone };
  return `${new Intl.DateTimeFormat(recipient.locale, options).format(date)} (${timeZone})`;
}

/** The subject and plain text of a booking email, in the recipient's language and time zone. */
export function renderBookingMail(kind: BookingMailKind, to: BookingMailRecipient, facts: BookingMailFacts): { subject: string; text: string } {
  const when = formatIn(to, facts.startAt, 'dateTime');
  const time = formatIn(to, facts.startAt, 'time');
  const { title, other, link } = facts;
  if (to.locale === 'en') {
    const discord = facts.discordUrl ? `\nDiscord: ${facts.discordUrl}` : '';
    return kind === 'confirmation'
      ? { subject: `Session booked: ${title}`, text: `Hello ${to.name},\n\nYour session "${title}" with ${other} is booked for ${when}.\nJoin it from ${link} (the room opens 15 minutes before).${discord}\n\nCoach Hub` }
      : { subject: `Starting in 15 minutes: ${title}`, text: `Hello ${to.name},\n\nYour session "${title}" with ${other} starts at ${time}.\nJoin now: ${link}${discord}\n\nCoach Hub` };
  }
  const discord = facts.discordUrl ? `\nDiscord : ${facts.discordUrl}` : '';
  return kind === 'confirmation'
    ? { subject: `Séance réservée : ${title}`, text: `Bonjour ${to.name},\n\nVotre séance « ${title} » avec ${other} est réservée pour le ${when}.\nRejoignez-la depuis ${link} (la salle ouvre 15 minutes avant).${discord}\n\nCoach Hub` }
    : { subject: `Dans 15 minutes : ${title}`, text: `Bonjour ${to.name},\n\nVotre séance « ${title} » avec ${other} commence à ${time}.\nRejoindre maintenant : ${link}${discord}\n\nCoach Hub` };
}
