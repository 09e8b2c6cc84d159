import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeOrganization, signedInUser, type TestApp } from '../helpers/test-app.js';

/** Every user has an IANA time zone (emails are written in it): from the browser at sign-up, changeable later. */
let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp({ SIGNUP_ORGANIZATION: 'public' });
  orgId = (await makeOrganization(t.ctx, { slug: 'public' })).id;
});
afterAll(() => t.close());

const signUp = (email: string, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload: { name: 'Zoé', email, password: 'correct horse', ...extra } });

describe('user time zones', () => {
  it('keeps the browser’s zone given at sign-up (canonical spelling), and Europe/Paris without one', async () => {
    const given = await signUp('zoe-montreal@example.test', { timeZone: 'america/new_york' });
    expect(given.statusCode).toBe(200);
    expect(given.json().user.timeZone).toBe('America/New_York');
    const none = await signUp('zoe-default@example.test');
    expect(none.json().user.timeZone).toBe('Europe/Paris');
  });

  it('refuses unknown zones and raw offsets with a 400 naming timeZone', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', '+02:00', '', 'x'.repeat(100)]) {
      const res = await signUp(`zoe-${Math.random().toString(36).slice(2)}@example.test`, { timeZone });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().details.fields[0].field).toBe('timeZone');
    }
  });

  it('lets users change their own zone in their settings (PATCH /api/me), and admins set it at creation', async () => {
    const member = await signedInUser(t, { organizationId: orgId });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: member.headers })).json().user.timeZone).toBe('Europe/Paris');
    const changed = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: member.headers, payload: { timeZone: 'Asia/Tokyo' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.timeZone).toBe('Asia/Tokyo');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: member.headers })).json().user.timeZone).toBe('Asia/Tokyo');
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: member.headers, payload: { timeZone: 'Asia/Atlantis' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^Invalid timeZone/);

    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { name: 'Kim', email: 'kim@example.test', password: 'correct horse', timeZone: 'America/Los_Angeles' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().user.timeZone).toBe('America/Los_Angeles');
  });
});
