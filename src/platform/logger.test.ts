import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { organizations, users } from '../db/core-tables.js';
import { migratedMemoryDatabase } from '../../tests/helpers/memory-db.js';
import { createLogger, scrubError } from './logger.js';
import { isUniqueViolation } from './to-app-error.js';

let database: Database;
beforeAll(async () => {
  database = await migratedMemoryDatabase();
}, 60_000);
afterAll(() => database.close());

it('logs a real unique violation with its SQL and SQLSTATE, without the values (params, detail)', async () => {
  await database.db.insert(organizations).values({ id: 'o1', name: 'Org', slug: 'org' });
  const row = { organizationId: 'o1', email: 'private.person@example.test', name: 'Private Person' };
  await database.db.insert(users).values({ id: 'u1', ...row });
  const err = await database.db.insert(users).values({ id: 'u2', ...row }).then(() => null, (e: unknown) => e);
  expect(isUniqueViolation(err)).toBe(true);
  // What the driver hands over does carry the values: this is what must not reach the log.
  const raw = JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as Error).message) + JSON.stringify((err as Error).cause);
  expect(raw).toContain('private.person@example.test');

  const lines: string[] = [];
  const logger = createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, true, { write: (line: string) => void lines.push(line) });
  logger.error({ err }, 'unhandled error');
  logger.warn({ err: (err as Error).message }, 'job failed');
  const out = lines.join('');
  expect(out).not.toContain('private.person');
  expect(out).not.toContain('Private Person');
  expect(out).toContain('23505');
  expect(out).toContain('insert into \\"user\\"');
  expect(out).toContain('params: [redacted]');
});

it('masks email addresses in error messages and strings, and keeps only safe fields', () => {
  const smtp = Object.assign(new Error('550 5.1.1 <someone@example.test>: Recipient address rejected'), { code: 'EENVELOPE', detail: 'Key (email)=(x@y.z)', response: 'x@y.z' });
  expect(scrubError(smtp)).toMatchObject({ type: 'Error', message: '550 5.1.1 <[email]>: Recipient address rejected', code: 'EENVELOPE' });
  expect(JSON.stringify(scrubError(smtp))).not.toMatch(/someone|x@y\.z/);
  expect(scrubError('failed for a.b@c.de')).toBe('failed for [email]');
  expect(scrubError({ email: 'a@b.c' })).toEqual({ type: 'object' });
});
