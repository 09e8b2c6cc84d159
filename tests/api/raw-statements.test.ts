import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganization } from '../../src/seed/factories.js';
import { defineStatement } from '../../src/db/raw.js';
import { organizations } from '../../src/db/core-tables.js';
import { createTestApp, testDbKind, type TestApp } from '../helpers/test-app.js';

const RENAME = defineStatement('test_rename_org', (p) => `update organization set name = ${p('name')} where id = ${p('id')} returning name`);
const NAME_OF = defineStatement('test_org_name', (p) => `select name from organization where id = ${p('id')}`);

describe(`raw statements (${testDbKind()})`, () => {
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp();
    orgId = (await makeOrganization(t.ctx, { name: 'Before' })).id;
  });
  afterAll(() => t.close());
  const raw = () => t.ctx.database.raw;
  const nameOf = async (id: string) => (await raw().query<{ name: string }>(NAME_OF, { id }))[0]?.name;

  it('numbers each key once, in order of first use', () => {
    const s = defineStatement('x', (p) => `select ${p('a')}, ${p('b')}, ${p('a')}`);
    expect(s.text).toBe('select $1, $2, $1');
    expect(s.keys).toEqual(['a', 'b']);
    // The same definition twice is fine; the name for another text is not.
    expect(defineStatement('x', (p) => `select ${p('a')}, ${p('b')}, ${p('a')}`).text).toBe(s.text);
    expect(() => defineStatement('x', () => 'select 1')).toThrow('Statement name x is already used by another statement');
  });

  it('runs a statement with its values by key, and names a missing value', async () => {
    expect(await raw().query(RENAME, { name: 'Renamed', id: orgId })).toEqual([{ name: 'Renamed' }]);
    expect(await nameOf(orgId)).toBe('Renamed');
    await expect(raw().query(RENAME, { id: orgId })).rejects.toThrow('Statement test_rename_org: no value for "name"');
  });

  it('commits a transaction, and rolls back everything (ORM writes included) when it throws', async () => {
    await raw().transaction(async (tx) => {
      await tx.query(RENAME, { name: 'Committed', id: orgId });
    });
    expect(await nameOf(orgId)).toBe('Committed');

    const other = randomUUID();
    await expect(
      raw().transaction(async (tx) => {
        await tx.query(RENAME, { name: 'Lost', id: orgId });
        // The ORM on the same connection sees the transaction's own writes, and its writes roll back too.
        const [row] = await tx.orm().select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
        expect(row?.name).toBe('Lost');
        await tx.orm().insert(organizations).values({ id: other, name: 'Also lost', slug: `lost-${other}` });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await nameOf(orgId)).toBe('Committed');
    expect(await nameOf(other)).toBeUndefined();
  });

  it.runIf(testDbKind() === 'postgres')('is a named prepared statement on PostgreSQL (planned once per connection)', async () => {
    const PREPARED = defineStatement('test_prepared_names', () => 'select name from pg_prepared_statements order by name');
    const names = await raw().transaction(async (tx) => {
      await tx.query(NAME_OF, { id: orgId });
      return (await tx.query<{ name: string }>(PREPARED, {})).map((r) => r.name);
    });
    expect(names).toContain('test_org_name');
    expect(names).toContain('test_prepared_names');
  });
});
