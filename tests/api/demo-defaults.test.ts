/**
 * Safe defaults of the demo data: a production server creates no demo account unless SEED_DEMO=true,
 * and then with random passwords written once; public sign-ups never join an organization whose
 * admin signs in with a published demo password.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { users } from '../../src/db/core-tables.js';
import { DEMO_LOGINS, seedDemoAtStart } from '../../src/seed/demo-seed.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const demoEmails = DEMO_LOGINS.map((l) => l.email);
const start = async (app: TestApp) => {
  let printed = '';
  const seeded = await seedDemoAtStart(app.ctx, (text) => (printed += text));
  return { seeded, printed };
};
const token = (app: TestApp, email: string, password: string) =>
  app.app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password } });
const signUp = (app: TestApp, email: string) =>
  app.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload: { name: 'Nina Nouvelle', email, password: 'correct horse battery' } });

describe('demo data on a production server', () => {
  it('is not created without SEED_DEMO', async () => {
    t = await createTestApp({ NODE_ENV: 'production' });
    expect(t.ctx.config.SEED_DEMO).toBe(false);
    expect(await start(t)).toEqual({ seeded: false, printed: '' });
    expect(await t.ctx.database.db.select().from(users).where(inArray(users.email, demoEmails))).toEqual([]);
    expect((await token(t, DEMO_LOGINS[0].email, DEMO_LOGINS[0].password)).statusCode).toBe(401);
  });

  it('with SEED_DEMO=true gets random passwords, written once; the published ones do not work', async () => {
    t = await createTestApp({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    const { seeded, printed } = await start(t);
    expect(seeded).toBe(true);
    const passwords = new Map<string, string>();
    for (const login of DEMO_LOGINS) {
      const line = printed.split('\n').find((l) => l.includes(login.email));
      const password = line?.split(' / ')[1]?.trim();
      expect(password, printed).toMatch(/^[A-Za-z0-9_-]{20}$/);
      passwords.set(login.email, password!);
      expect(printed).not.toContain(login.password);
      expect((await token(t, login.email, login.password)).statusCode).toBe(401);
      expect((await token(t, login.email, password!)).statusCode).toBe(200);
    }
    expect(new Set(passwords.values()).size).toBe(DEMO_LOGINS.length);
    // A restart on the same database writes nothing again.
    expect(await start(t)).toEqual({ seeded: false, printed: '' });
    // Its admin's password is not published: public sign-up joins the demo organization.
    expect(t.ctx.config.SIGNUP_ORGANIZATION).toBe('demo');
    const res = await signUp(t, 'nina@example.test');
    expect(res.statusCode).toBe(200);
    const [nina] = await t.ctx.database.db.select().from(users).where(eq(users.email, 'nina@example.test'));
    expect(nina?.organizationId).toBe((await t.ctx.services.organizations.bySlug('demo'))!.id);
  });
});

describe('demo data for a local try-out', () => {
  it('keeps the published logins, and closes public sign-up until the demo admin changes its password', async () => {
    t = await createTestApp({ NODE_ENV: 'development' });
    expect(t.ctx.config.SEED_DEMO).toBe(true);
    const { seeded, printed } = await start(t);
    expect(seeded).toBe(true);
    for (const login of DEMO_LOGINS) {
      expect(printed).toContain(`${login.email}  /  ${login.password}`);
      expect((await token(t, login.email, login.password)).statusCode).toBe(200);
    }

    const refused = await signUp(t, 'nina@example.test');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'DEMO_ADMIN_PASSWORD' } });
    expect(await t.ctx.database.db.select().from(users).where(eq(users.email, 'nina@example.test'))).toEqual([]);

    // The admin changes the password through the web app's own endpoint: sign-up opens.
    const admin = DEMO_LOGINS[0];
    const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: admin.email, password: admin.password } });
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: { cookie, origin: 'http://localhost:3000' },
      payload: { currentPassword: admin.password, newPassword: 'a private passphrase', revokeOtherSessions: false },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await signUp(t, 'nina@example.test')).statusCode).toBe(200);
  });
});
