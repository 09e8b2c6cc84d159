import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '../../src/features/bookings/tables.js';
import { book, coachWithOffer, HOUR, slot, utcAt } from '../helpers/bookings.js';
import { multipart } from '../helpers/multipart.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;
const MIN = 60_000;

/**
 * Who may read and change a coaching session (two owners: its coach and its player), on every
 * booking read and write: the coach, the player, another member of the organization, another
 * coach, and another organization's admin. Another organization never learns the session
 * exists (404); a colleague is refused (403); the admin column shows what admins may do.
 */
describe('coaching sessions: every read and write, by who asks', () => {
  let t: TestApp;
  let coach: Signed;
  let player: Signed;
  let member: Signed;
  let otherCoach: Signed;
  let admin: Signed;
  let outsider: Signed;
  let reservationId: string;
  let recordingId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const orgId = (await makeOrganization(t.ctx)).id;
    const offer = await coachWithOffer(t, orgId);
    coach = offer.coach;
    player = await signedInUser(t, { organizationId: orgId });
    member = await signedInUser(t, { organizationId: orgId });
    otherCoach = await signedInUser(t, { organizationId: orgId, role: 'coach' });
    admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    outsider = await signedInUser(t, { organizationId: (await makeOrganization(t.ctx)).id, role: 'admin' });
    reservationId = (await book(t, player.headers, offer.announcement, utcAt(2, 10))).json().reservation.id;
    // The session starts in 10 minutes: the room is open (video tokens), it can still be moved.
    const start = Date.now() + 10 * MIN;
    await t.ctx.database.db
      .update(reservations)
      .set({ startAt: new Date(start), endAt: new Date(start + HOUR), roomExpiresAt: new Date(start + HOUR + 30 * MIN) })
      .where(eq(reservations.id, reservationId));
    const form = multipart(randomBytes(256), 'video/webm');
    const up = await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...coach.headers, ...form.headers }, payload: form.payload });
    expect(up.statusCode).toBe(201);
    recordingId = up.json().recording.id;
  });
  afterAll(() => t.close());

  const who = () => ({ coach, player, member, otherCoach, admin, outsider });
  type Who = keyof ReturnType<typeof who>;

  async function matrix(call: (headers: Record<string, string>) => Promise<{ statusCode: number }>, expected: Record<Who, number>) {
    const got: Record<string, number> = {};
    for (const [name, user] of Object.entries(who())) got[name] = (await call(user.headers)).statusCode;
    expect(got).toEqual(expected);
  }
  const get = (url: string) => (headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

  it('lists the session to its coach, its player and admins only', async () => {
    const listed: Record<string, boolean> = {};
    for (const [name, user] of Object.entries(who())) {
      const res = await t.app.inject({ method: 'GET', url: '/api/reservations?when=all', headers: user.headers });
      expect(res.statusCode).toBe(200);
      listed[name] = (res.json().reservations as { id: string }[]).some((r) => r.id === reservationId);
    }
    expect(listed).toEqual({ coach: true, player: true, member: false, otherCoach: false, admin: true, outsider: false });
  });

  it('reads: the reservation (admins too), its video token, recordings and replays (participants only)', async () => {
    await matrix(get(`/api/reservations/${reservationId}`), { coach: 200, player: 200, member: 403, otherCoach: 403, admin: 200, outsider: 404 });
    await matrix(get(`/api/reservations/${reservationId}/video-token`), { coach: 200, player: 200, member: 403, otherCoach: 403, admin: 403, outsider: 404 });
    await matrix(get(`/api/reservations/${reservationId}/recordings`), { coach: 200, player: 200, member: 403, otherCoach: 403, admin: 403, outsider: 404 });
    await matrix(get(`/api/recordings/${recordingId}/media`), { coach: 200, player: 200, member: 403, otherCoach: 403, admin: 403, outsider: 404 });
  });

  it('writes by anyone but the session’s people are refused and change nothing', async () => {
    const before = (await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}`, headers: coach.headers })).json().reservation;
    const strangers = { member, otherCoach, outsider };
    const expected = { member: 403, otherCoach: 403, outsider: 404 };
    const moved = slot(new Date(Date.parse(before.startDate) + 2 * HOUR));
    const writes: [string, (h: Record<string, string>) => Promise<{ statusCode: number }>][] = [
      ['discord link', (headers) => t.app.inject({ method: 'PATCH', url: `/api/reservations/${reservationId}`, headers, payload: { discordUrl: 'https://discord.gg/intrus' } })],
      ['cancel', (headers) => t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/cancel`, headers })],
      ['reschedule', (headers) => t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/reschedule`, headers, payload: moved })],
      [
        'upload',
        (headers) => {
          const form = multipart(randomBytes(64), 'video/webm');
          return t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...headers, ...form.headers }, payload: form.payload });
        },
      ],
    ];
    for (const [what, call] of writes) {
      const got: Record<string, number> = {};
      for (const [name, user] of Object.entries(strangers)) got[name] = (await call(user.headers)).statusCode;
      expect({ what, got }).toEqual({ what, got: expected });
    }
    const after = (await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}`, headers: coach.headers })).json().reservation;
    expect(after).toEqual(before);
    expect((await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}/recordings`, headers: coach.headers })).json().recordings).toHaveLength(1);
  });

  it('the coach alone sets the Discord link and uploads; the player may not, the admin may not', async () => {
    const discord = (headers: Record<string, string>) =>
      t.app.inject({ method: 'PATCH', url: `/api/reservations/${reservationId}`, headers, payload: { discordUrl: 'https://discord.gg/coachhub-session' } });
    expect((await discord(player.headers)).statusCode).toBe(403);
    expect((await discord(admin.headers)).statusCode).toBe(403);
    expect((await discord(coach.headers)).statusCode).toBe(200);
    const upload = (headers: Record<string, string>) => {
      const form = multipart(randomBytes(64), 'video/webm');
      return t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/recordings`, headers: { ...headers, ...form.headers }, payload: form.payload });
    };
    expect((await upload(player.headers)).statusCode).toBe(403);
    expect((await upload(admin.headers)).statusCode).toBe(403);
    expect((await upload(coach.headers)).statusCode).toBe(201);
  });

  it('the player and the coach may move the session, and either may cancel it', async () => {
    const current = (await t.app.inject({ method: 'GET', url: `/api/reservations/${reservationId}`, headers: coach.headers })).json().reservation;
    const later = slot(new Date(Date.parse(current.startDate) + 3 * HOUR));
    const byPlayer = await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/reschedule`, headers: player.headers, payload: later });
    expect(byPlayer.statusCode).toBe(200);
    const evenLater = slot(new Date(Date.parse(current.startDate) + 5 * HOUR));
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/reschedule`, headers: coach.headers, payload: evenLater })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/reservations/${reservationId}/cancel`, headers: player.headers })).json().reservation.status).toBe('cancelled');
  });
});
