import type { TestApp } from './test-app.js';
import { signedInUser } from './test-app.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** `days` from today at `hour`:00 UTC (always in the future for days ≥ 1). */
export function utcAt(days: number, hour: number, minute = 0): Date {
  const d = new Date();
  d.setUTCHours(hour, minute, 0, 0);
  return new Date(d.getTime() + days * DAY);
}

export const slot = (start: Date, durationMs = HOUR) => ({ startDate: start.toISOString(), endDate: new Date(start.getTime() + durationMs).toISOString() });

/** A coach, available every day all day (UTC), with a one-hour offer. */
export async function coachWithOffer(
  t: TestApp,
  organizationId: string,
  windows?: { weekday: number; startMinute: number; endMinute: number; timeZone: string }[],
  person: { locale?: 'fr' | 'en'; timeZone?: string; name?: string } = {},
) {
  const coach = await signedInUser(t, { organizationId, role: 'coach', ...person });
  const allWeek = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440, timeZone: 'UTC' }));
  const avail = await t.app.inject({ method: 'PUT', url: `/api/coaches/${coach.user.id}/availability`, headers: coach.headers, payload: { windows: windows ?? allWeek } });
  if (avail.statusCode !== 200) throw new Error(`availability: ${avail.statusCode} ${avail.body}`);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/announcements',
    headers: coach.headers,
    payload: { title: 'Revue de parties', description: 'Analyse de vos parties', durationMs: HOUR, priceCents: 3000, language: 'fr', discordUrl: 'https://discord.gg/coachhub' },
  });
  if (res.statusCode !== 201) throw new Error(`announcement: ${res.statusCode} ${res.body}`);
  return { coach, announcement: res.json().announcement as { id: string; coachId: string } };
}

export async function book(t: TestApp, headers: Record<string, string>, offer: { id: string; coachId: string }, start: Date, durationMs = HOUR) {
  return t.app.inject({ method: 'POST', url: '/api/reservations', headers, payload: { announcementId: offer.id, coachId: offer.coachId, ...slot(start, durationMs) } });
}
