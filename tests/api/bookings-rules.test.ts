import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, coachWithOffer, DAY, HOUR, slot, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await makeOrganization(t.ctx)).id;
});
afterAll(() => t.close());

describe('offers and availability', () => {
  it('lets a coach publish an offer that members of the organization (only) can see', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const member = await signedInUser(t, { organizationId: orgId });
    const list = await t.app.inject({ method: 'GET', url: '/api/announcements', headers: member.headers });
    expect(list.json().announcements.map((a: { id: string }) => a.id)).toContain(announcement.id);
    const one = await t.app.inject({ method: 'GET', url: `/api/announcements/${announcement.id}`, headers: member.headers });
    expect(one.statusCode).toBe(200);
    expect(one.json().announcement.slots.length).toBeGreaterThan(0);

    const outsider = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id });
    expect((await t.app.inject({ method: 'GET', url: '/api/announcements', headers: outsider.headers })).json().announcements).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/announcements/${announcement.id}`, headers: outsider.headers })).statusCode).toBe(404);
  });

  it('refuses offers from members, bad availability and another coach editing', async () => {
    const member = await signedInUser(t, { organizationId: orgId });
    const res = await t.app.inject({ method: 'POST', url: '/api/announcements', headers: member.headers, payload: { title: 'x', durationMs: HOUR, priceCents: 0, language: 'fr' } });
    expect(res.statusCode).toBe(403);
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const bad = await t.app.inject({ method: 'PUT', url: `/api/coaches/${coach.user.id}/availability`, headers: coach.headers, payload: { windows: [{ weekday: 1, startMinute: 600, endMinute: 540, timeZone: 'Europe/Paris' }] } });
    expect(bad.statusCode).toBe(400);
    const tz = await t.app.inject({ method: 'PUT', url: `/api/coaches/${coach.user.id}/availability`, headers: coach.headers, payload: { windows: [{ weekday: 1, startMinute: 0, endMinute: 60, timeZone: 'Mars/Olympus' }] } });
    expect(tz.statusCode).toBe(400);
    const other = await coachWithOffer(t, orgId);
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/announcements/${announcement.id}`, headers: other.coach.headers, payload: { title: 'mine now' } });
    expect(edit.statusCode).toBe(403);
    const theirs = await t.app.inject({ method: 'PUT', url: `/api/coaches/${coach.user.id}/availability`, headers: other.coach.headers, payload: { windows: [] } });
    expect(theirs.statusCode).toBe(403);
  });
});

describe('editing an offer', () => {
  it('changes only the fields sent: `{}` or a new title keeps the description, currency and the rest', async () => {
    // Found by the fuzz test: zod applied the create schema's defaults inside .partial(), so
    // PATCH {} reset the description to "" and the currency to EUR.
    const { coach } = await coachWithOffer(t, orgId);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/announcements',
      headers: coach.headers,
      payload: { title: 'Swing analysis', description: 'Video review of your swing', durationMs: HOUR, priceCents: 4500, currency: 'CHF', language: 'en' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().announcement.id as string;
    const patch = (payload: object) => t.app.inject({ method: 'PATCH', url: `/api/announcements/${id}`, headers: coach.headers, payload });
    const kept = { description: 'Video review of your swing', currency: 'CHF', priceCents: 4500, durationMs: HOUR, language: 'en' };

    const empty = await patch({});
    expect(empty.statusCode).toBe(200);
    expect(empty.json().announcement).toMatchObject({ title: 'Swing analysis', ...kept });
    const retitled = await patch({ title: 'Swing clinic' });
    expect(retitled.json().announcement).toMatchObject({ title: 'Swing clinic', ...kept });
    const reread = await t.app.inject({ method: 'GET', url: `/api/announcements/${id}`, headers: coach.headers });
    expect(reread.json().announcement).toMatchObject({ title: 'Swing clinic', ...kept });
    // Sent explicitly, an empty description is a change.
    expect((await patch({ description: '' })).json().announcement.description).toBe('');
  });
});

describe('booking rules', () => {
  it('books a slot, stored in UTC, visible to the coach and the player only (and admins)', async () => {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const start = utcAt(2, 10);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: player.headers,
      // Given with a +02:00 offset: the same instant comes back in UTC.
      payload: { announcementId: announcement.id, coachId: coach.user.id, startDate: start.toISOString().replace('T10:', 'T12:').replace('.000Z', '+02:00'), endDate: new Date(start.getTime() + HOUR).toISOString() },
    });
    expect(res.statusCode).toBe(201);
    const r = res.json().reservation;
    expect(r).toMatchObject({ startDate: start.toISOString(), status: 'booked', myRole: 'player', coachId: coach.user.id, playerId: player.user.id, discordUrl: 'https://discord.gg/coachhub' });
    expect(Date.parse(r.roomExpiresAt)).toBe(start.getTime() + HOUR + 30 * 60_000);
    expect(Date.parse(r.joinOpensAt)).toBe(start.getTime() - 15 * 60_000);

    const asCoach = await t.app.inject({ method: 'GET', url: '/api/reservations', headers: coach.headers });
    expect(asCoach.json().reservations.map((x: { id: string; myRole: string }) => [x.id, x.myRole])).toEqual([[r.id, 'coach']]);
    const stranger = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url: '/api/reservations', headers: stranger.headers })).json().reservations).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}`, headers: stranger.headers })).statusCode).toBe(403);
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const all = await t.app.inject({ method: 'GET', url: '/api/reservations?when=upcoming', headers: admin.headers });
    expect(all.json().reservations.map((x: { id: string }) => x.id)).toContain(r.id);
    const otherAdmin = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id, role: 'admin' });
    expect((await t.app.inject({ method: 'GET', url: `/api/reservations/${r.id}`, headers: otherAdmin.headers })).statusCode).toBe(404);
  });

  it('refuses overlaps with the coach’s or the player’s other sessions (409)', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const p1 = await signedInUser(t, { organizationId: orgId });
    const p2 = await signedInUser(t, { organizationId: orgId });
    expect((await book(t, p1.headers, announcement, utcAt(3, 10))).statusCode).toBe(201);
    const coachBusy = await book(t, p2.headers, announcement, utcAt(3, 10, 30));
    expect(coachBusy.statusCode).toBe(409);
    expect(coachBusy.json()).toMatchObject({ code: 'CONFLICT', message: 'The coach already has a session at that time.' });
    // Back to back is fine.
    expect((await book(t, p2.headers, announcement, utcAt(3, 11))).statusCode).toBe(201);
    // The player is busy with another coach.
    const other = await coachWithOffer(t, orgId);
    const playerBusy = await book(t, p1.headers, other.announcement, utcAt(3, 9, 30));
    expect(playerBusy.statusCode).toBe(409);
    expect(playerBusy.json().message).toBe('You already have a session at that time.');
  });

  it('refuses past slots, a wrong length, another coach id and slots outside availability (400)', async () => {
    const mondayMorningParis = [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60, timeZone: 'Europe/Paris' }];
    const { announcement } = await coachWithOffer(t, orgId, mondayMorningParis);
    const player = await signedInUser(t, { organizationId: orgId });
    const past = await book(t, player.headers, announcement, new Date(Date.now() - DAY));
    expect(past.statusCode).toBe(400);
    expect(past.json().message).toMatch(/future/);
    // Next Monday 09:00 in Paris, found from the offer's own slots.
    const slots = (await t.app.inject({ method: 'GET', url: `/api/announcements/${announcement.id}`, headers: player.headers })).json().announcement.slots as { startDate: string }[];
    expect(slots.length).toBeGreaterThan(0);
    const first = new Date(slots[0]!.startDate);
    const outside = await book(t, player.headers, announcement, new Date(first.getTime() + 3 * HOUR));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/availability/);
    const wrongLength = await book(t, player.headers, announcement, first, 2 * HOUR);
    expect(wrongLength.statusCode).toBe(400);
    const wrongCoach = await t.app.inject({ method: 'POST', url: '/api/reservations', headers: player.headers, payload: { announcementId: announcement.id, coachId: player.user.id, ...slot(first) } });
    expect(wrongCoach.statusCode).toBe(400);
    const badDate = await t.app.inject({ method: 'POST', url: '/api/reservations', headers: player.headers, payload: { announcementId: announcement.id, coachId: announcement.coachId, startDate: 'tomorrow', endDate: 'later' } });
    expect(badDate.statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/reservations', headers: player.headers, payload: { announcementId: 'nope', coachId: announcement.coachId, ...slot(first) } });
    expect(unknown.statusCode).toBe(404);
    expect((await book(t, player.headers, announcement, first)).statusCode).toBe(201);
  });

  it('cancels and reschedules (participants only, not after the start), freeing the slot', async () => {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(4, 10))).json().reservation;
    const stranger = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/cancel`, headers: stranger.headers })).statusCode).toBe(403);

    const moved = await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/reschedule`, headers: coach.headers, payload: slot(utcAt(4, 14)) });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().reservation.startDate).toBe(utcAt(4, 14).toISOString());
    // The old time is free again; the new one is taken.
    const p2 = await signedInUser(t, { organizationId: orgId });
    expect((await book(t, p2.headers, announcement, utcAt(4, 10))).statusCode).toBe(201);
    expect((await book(t, p2.headers, announcement, utcAt(4, 14))).statusCode).toBe(409);
    const clash = await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/reschedule`, headers: player.headers, payload: slot(utcAt(4, 10)) });
    expect(clash.statusCode).toBe(409);

    const cancelled = await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/cancel`, headers: player.headers });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().reservation.status).toBe('cancelled');
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/cancel`, headers: player.headers })).statusCode).toBe(409);
    expect((await book(t, p2.headers, announcement, utcAt(4, 14))).statusCode).toBe(201);
  });

  it('refuses to cancel or move a session that has started (409)', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const r = (await book(t, player.headers, announcement, utcAt(5, 10))).json().reservation;
    const { reservations } = await import('../../src/features/bookings/tables.js');
    const { eq } = await import('drizzle-orm');
    await t.ctx.database.db.update(reservations).set({ startAt: new Date(Date.now() - 60_000), endAt: new Date(Date.now() + HOUR - 60_000) }).where(eq(reservations.id, r.id));
    const cancel = await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/cancel`, headers: player.headers });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().message).toMatch(/started/);
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${r.id}/reschedule`, headers: player.headers, payload: slot(utcAt(6, 10)) })).statusCode).toBe(409);
  });
});

describe('packs', () => {
  it('buys a pack of N sessions: N reservations, each with its own room; all or nothing', async () => {
    const { coach, announcement } = await coachWithOffer(t, orgId);
    const player = await signedInUser(t, { organizationId: orgId });
    const slots = [utcAt(7, 10), utcAt(8, 10), utcAt(9, 10)].map((d) => slot(d));
    const res = await t.app.inject({ method: 'POST', url: '/api/packs', headers: player.headers, payload: { announcementId: announcement.id, coachId: coach.user.id, slots } });
    expect(res.statusCode).toBe(201);
    const { packId, reservations } = res.json() as { packId: string; reservations: { id: string; packId: string }[] };
    expect(reservations).toHaveLength(3);
    expect(new Set(reservations.map((r) => r.packId))).toEqual(new Set([packId]));
    const { reservations: table } = await import('../../src/features/bookings/tables.js');
    const { inArray } = await import('drizzle-orm');
    const rows = await t.ctx.database.db.select().from(table).where(inArray(table.id, reservations.map((r) => r.id)));
    expect(new Set(rows.map((r) => r.roomName)).size).toBe(3);
    expect(rows.every((r) => r.roomProvider === 'builtin' && r.roomUrl?.includes(r.roomName))).toBe(true);

    // One clashing slot: nothing of the pack is booked.
    const p2 = await signedInUser(t, { organizationId: orgId });
    const clash = await t.app.inject({ method: 'POST', url: '/api/packs', headers: p2.headers, payload: { announcementId: announcement.id, coachId: coach.user.id, slots: [slot(utcAt(10, 10)), slots[1]] } });
    expect(clash.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: '/api/reservations', headers: p2.headers })).json().reservations).toEqual([]);
    const selfOverlap = await t.app.inject({ method: 'POST', url: '/api/packs', headers: p2.headers, payload: { announcementId: announcement.id, coachId: coach.user.id, slots: [slot(utcAt(11, 10)), slot(utcAt(11, 10, 30))] } });
    expect(selfOverlap.statusCode).toBe(400);
  });
});

describe(`concurrent bookings (${testDbKind()})`, () => {
  it('lets exactly one of many parallel bookings of the same coach slot win', async () => {
    const { announcement } = await coachWithOffer(t, orgId);
    const players = await Promise.all(Array.from({ length: 8 }, () => signedInUser(t, { organizationId: orgId })));
    const start = utcAt(12, 10);
    const results = await Promise.all(players.map((p, i) => book(t, p.headers, announcement, new Date(start.getTime() + (i % 2) * 30 * 60_000))));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
  });

  it('lets exactly one of parallel bookings by the same player with different coaches win', async () => {
    const offers = await Promise.all(Array.from({ length: 5 }, () => coachWithOffer(t, orgId)));
    const player = await signedInUser(t, { organizationId: orgId });
    const results = await Promise.all(offers.map((o) => book(t, player.headers, o.announcement, utcAt(13, 10))));
    expect(results.map((r) => r.statusCode).filter((c) => c === 201)).toHaveLength(1);
  });
});
