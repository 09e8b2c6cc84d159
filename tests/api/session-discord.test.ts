import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, coachWithOffer, utcAt } from '../helpers/bookings.js';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/** A session's own Discord link, set by its coach, shown beside the join button instead of the offer's. */
let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = (await makeOrganization(t.ctx)).id;
});
afterAll(() => t.close());

const OFFER_LINK = 'https://discord.gg/coachhub';
const SESSION_LINK = 'https://discord.com/channels/1234/5678';

async function session() {
  const { coach, announcement } = await coachWithOffer(t, orgId);
  const player = await signedInUser(t, { organizationId: orgId });
  const r = (await book(t, player.headers, announcement, utcAt(2, 10))).json().reservation;
  return { coach, player, id: r.id as string };
}
const setLink = (id: string, headers: Record<string, string>, payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/reservations/${id}`, headers, payload });
const seenBy = async (id: string, headers: Record<string, string>) => (await t.app.inject({ method: 'GET', url: `/api/reservations/${id}`, headers })).json().reservation;

describe('per-session Discord link', () => {
  it('falls back to the offer’s link; the coach’s link for the session replaces it for both, and null restores it', async () => {
    const { coach, player, id } = await session();
    expect(await seenBy(id, player.headers)).toMatchObject({ discordUrl: OFFER_LINK, sessionDiscordUrl: null });

    const set = await setLink(id, coach.headers, { discordUrl: SESSION_LINK });
    expect(set.statusCode).toBe(200);
    expect(set.json().reservation).toMatchObject({ discordUrl: SESSION_LINK, sessionDiscordUrl: SESSION_LINK, myRole: 'coach' });
    expect(await seenBy(id, player.headers)).toMatchObject({ discordUrl: SESSION_LINK });
    const list = (await t.app.inject({ method: 'GET', url: '/api/reservations?when=upcoming', headers: player.headers })).json().reservations;
    expect(list.find((r: { id: string }) => r.id === id).discordUrl).toBe(SESSION_LINK);

    expect((await setLink(id, coach.headers, { discordUrl: null })).json().reservation).toMatchObject({ discordUrl: OFFER_LINK, sessionDiscordUrl: null });
  });

  it('accepts only https discord.gg / discord.com links (400 naming discordUrl)', async () => {
    const { coach, id } = await session();
    for (const discordUrl of ['http://discord.gg/abc', 'https://discord.gg.evil.example/abc', 'https://evil.example/discord.gg/abc', 'javascript:alert(1)', 'discord.gg/abc', 42]) {
      const res = await setLink(id, coach.headers, { discordUrl });
      expect(res.statusCode, String(discordUrl)).toBe(400);
      expect(res.json().details.fields[0].field).toBe('discordUrl');
    }
    expect((await setLink(id, coach.headers, {})).statusCode).toBe(400);
    expect((await setLink(id, coach.headers, { discordUrl: SESSION_LINK, status: 'cancelled' })).statusCode).toBe(400);
    expect(await seenBy(id, coach.headers)).toMatchObject({ discordUrl: OFFER_LINK, status: 'booked' });
  });

  it('is the session’s coach’s alone: 403 for its player, an admin, a colleague or an API key; 404 for another organization', async () => {
    const { player, id } = await session();
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const colleague = await signedInUser(t, { organizationId: orgId, role: 'coach' });
    for (const who of [player, admin, colleague]) {
      const res = await setLink(id, who.headers, { discordUrl: SESSION_LINK });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    const { key } = (await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: admin.headers, payload: { name: 'LMS' } })).json();
    expect((await setLink(id, { authorization: `Bearer ${key}` }, { discordUrl: SESSION_LINK })).statusCode).toBe(403);
    const otherOrg = (await makeOrganization(t.ctx)).id;
    for (const role of ['coach', 'admin'] as const) {
      const outsider = await signedInUser(t, { organizationId: otherOrg, role });
      expect((await setLink(id, outsider.headers, { discordUrl: SESSION_LINK })).statusCode).toBe(404);
    }
    expect((await setLink(id, {}, { discordUrl: SESSION_LINK })).statusCode).toBe(401);
    expect(await seenBy(id, player.headers)).toMatchObject({ discordUrl: OFFER_LINK });
  });

  it('refuses to change a cancelled session (409)', async () => {
    const { coach, player, id } = await session();
    await t.app.inject({ method: 'POST', url: `/api/reservations/${id}/cancel`, headers: player.headers });
    expect((await setLink(id, coach.headers, { discordUrl: SESSION_LINK })).statusCode).toBe(409);
  });
});
