import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import type { Database } from '../../../src/db/client.js';
import { ERROR_CODES, isErrorCode } from '../../../src/shared/error-codes.js';
import type { BuiltRequest } from './requests.js';

const ERROR_KEYS = new Set(['error', 'code', 'message', 'details']);

/** What is wrong with an error answer's body, or null when it is our `{ error, code, message, details? }`. */
export function errorShapeProblem(status: number, body: string, path: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `status ${status} with a body that is not JSON: ${JSON.stringify(body.slice(0, 120))}`;
  }
  // The self-hosted realtime engine speaks the OpenAI Realtime protocol, errors included (its route's own answers).
  const e = (json as { error?: { type?: unknown; code?: unknown; message?: unknown } } | null)?.error;
  if (path.startsWith('/v1/') && e && typeof e === 'object' && typeof e.type === 'string' && typeof e.code === 'string' && typeof e.message === 'string') return null;
  if (!json || typeof json !== 'object' || Array.isArray(json)) return `status ${status}: error body is not an object: ${body.slice(0, 160)}`;
  const o = json as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length) return `status ${status}: unexpected keys ${extra.join(', ')} in ${body.slice(0, 160)}`;
  if (typeof o.error !== 'string' || typeof o.message !== 'string') return `status ${status}: error/message missing in ${body.slice(0, 160)}`;
  if (!isErrorCode(o.code)) return `status ${status}: unknown code ${JSON.stringify(o.code)}`;
  if (ERROR_CODES[o.code] !== status) return `status ${status} does not match code ${o.code} (${ERROR_CODES[o.code]})`;
  return null;
}

/** The seeded organization's secrets that an answer shows although the request did not carry them. */
export function leakedSecrets(res: InjectResponse, req: BuiltRequest, secrets: readonly string[]): string[] {
  const haystack = `${res.body}\n${JSON.stringify(res.headers)}`;
  const sent = req.sentText;
  return secrets.filter((s) => (haystack.includes(s) || haystack.includes(encodeURIComponent(s))) && !sent.includes(s));
}

/** A redirect off this site (an open redirect), or null: Location must stay on `ownOrigin`. */
export function foreignRedirect(res: InjectResponse, ownOrigin: string): string | null {
  const location = res.headers.location;
  if (typeof location !== 'string') return null;
  try {
    return new URL(location, ownOrigin).origin === ownOrigin ? null : location;
  } catch {
    return location;
  }
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
/** Whether a request polluted Object.prototype (a body's `__proto__` merged somewhere). */
export function prototypePolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTOTYPE_KEYS || probe.role !== undefined || probe.polluted !== undefined || probe.organizationId !== undefined;
}

/**
 * A count and a checksum, per table, of every row that mentions one of the organization's ids
 * (its own id, its users', its rows'): the seeded data, and anything written against it.
 */
export async function organizationSnapshot(database: Database, ids: readonly string[]): Promise<Record<string, { rows: number; sha256: string }>> {
  const tables = (await database.db.execute(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)) as unknown as { rows: { table_name: string }[] };
  const patterns = ids.map((id) => `%${id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const { table_name: table } of tables.rows) {
    const result = (await database.db.execute(
      sql`SELECT t::text AS row FROM ${sql.identifier(table)} t WHERE t::text LIKE ANY(${sql.raw(`ARRAY[${patterns.map((p) => `'${p.replaceAll("'", "''")}'`).join(',')}]`)}) ORDER BY 1`,
    )) as unknown as { rows: { row: string }[] };
    out[table] = { rows: result.rows.length, sha256: createHash('sha256').update(result.rows.map((r) => r.row).join('\n')).digest('hex') };
  }
  return out;
}
