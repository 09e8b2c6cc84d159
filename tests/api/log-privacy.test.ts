import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeOrganization, signedInUser, testDbKind, type TestApp } from '../helpers/test-app.js';

/**
 * No personal data in logs at info, warn or error: a sign-up that hits the unique index on
 * emails (a race, or a plain duplicate) leaves no email in the log output, and database errors
 * are logged without their parameters.
 */
const lines: string[] = [];
let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp({ SIGNUP_ORGANIZATION: 'public', LOG_LEVEL: 'info' }, { logDestination: { write: (line: string) => void lines.push(line) } });
  orgId = (await makeOrganization(t.ctx, { slug: 'public' })).id;
});
afterAll(() => t.close());

const signUp = (email: string, name = 'Zoé Secretname') =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload: { name, email, password: 'correct horse' } });
const logged = () => lines.join('');

describe('sign-up duplicates', () => {
  it('logs requests at info (the capture works), without query strings', async () => {
    const before = lines.length;
    await t.app.inject({ method: 'GET', url: '/api/health?email=probe%40example.test' });
    const fresh = lines.slice(before).join('');
    expect(fresh).toContain('"url":"/api/health"');
    expect(fresh).not.toContain('probe');
  });

  it('a duplicate sign-up is a 409, and its email is nowhere in the logs', async () => {
    const email = 'duplicate.person@example.test';
    expect((await signUp(email)).statusCode).toBe(200);
    const dup = await signUp(email);
    expect(dup.statusCode).toBe(409);
    expect(logged()).not.toContain('duplicate.person');
    expect(logged()).not.toContain('Secretname');
  });

  it.runIf(testDbKind() === 'postgres')('sign-ups racing for one email: one account, the others 409, and no email, name or query parameter in the logs', async () => {
    for (let round = 0; round < 3; round++) {
      const email = `racer.${round}@example.test`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => signUp(email)));
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 409), String(statuses)).toBe(true);
    }
    expect(logged()).not.toMatch(/racer\.\d/);
    expect(logged()).not.toContain('Secretname');
  });
});

describe('database errors', () => {
  it('a failing query is logged with its SQL and code but without its parameters', async () => {
    // Two admins created at once with one email: the unique index refuses the second (on PostgreSQL
    // the pre-check races; on PGlite the insert runs after it and the index decides).
    const admin = await signedInUser(t, { organizationId: orgId, role: 'admin' });
    const payload = { name: 'Hidden Person', email: 'hidden.person@example.test', password: 'long enough' };
    const answers = await Promise.all([1, 2, 3].map(() => t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    expect(logged()).not.toContain('hidden.person');
    expect(logged()).not.toContain('Hidden Person');
  });
});
