import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiKeys } from '../../db/core-tables.js';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from '../../shared/accounts.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { inOrganization } from '../../platform/scope.js';

export const API_KEY_PREFIX = 'chk_';

/**
 * Organization API keys. The key is 32 random bytes shown once; only its SHA-256 is stored
 * (a fast hash is right here: the key has 256 bits of entropy, unlike a password).
 */
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function view(row: typeof apiKeys.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function createApiKeys(db: Db, now: () => number = Date.now) {
  return {
    /** `scopes` omitted or empty: DEFAULT_API_KEY_SCOPES (least privilege). Stored in a fixed order, without repeats. */
    async create(input: { organizationId: string; name: string; scopes?: readonly ApiKeyScope[]; createdByUserId?: string | null; expiresAt?: Date | null }) {
      const wanted = input.scopes?.length ? input.scopes : DEFAULT_API_KEY_SCOPES;
      const scopes = API_KEY_SCOPES.filter((s) => wanted.includes(s));
      const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const [row] = await db
        .insert(apiKeys)
        .values({
          id: randomUUID(),
          organizationId: input.organizationId,
          name: input.name,
          prefix: key.slice(0, API_KEY_PREFIX.length + 6),
          hash: hashKey(key),
          scopes,
          createdByUserId: input.createdByUserId ?? null,
          expiresAt: input.expiresAt ?? null,
        })
        .returning();
      return { key, apiKey: view(row!) };
    },

    async list(actor: Actor): Promise<ApiKeyView[]> {
      const rows = await db.select().from(apiKeys).where(inOrganization(actor, apiKeys.organizationId)).orderBy(desc(apiKeys.createdAt));
      return rows.map(view);
    },

    async listForOrganization(organizationId: string): Promise<ApiKeyView[]> {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId)).orderBy(desc(apiKeys.createdAt));
      return rows.map(view);
    },

    /** Revokes a key of the actor's organization (idempotent). */
    async revoke(actor: Actor | null, id: string): Promise<ApiKeyView> {
      const where = actor ? inOrganization(actor, apiKeys.organizationId, eq(apiKeys.id, id)) : eq(apiKeys.id, id);
      const [existing] = await db.select().from(apiKeys).where(where);
      if (!existing) throw new AppError('NOT_FOUND', 'API key not found.');
      if (existing.revokedAt) return view(existing);
      const [row] = await db.update(apiKeys).set({ revokedAt: new Date(now()) }).where(eq(apiKeys.id, id)).returning();
      return view(row!);
    },

    /** Resolves a presented key to an actor; unknown, revoked or expired keys are UNAUTHENTICATED. */
    async verify(key: string): Promise<Actor> {
      const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)));
      if (!row) throw new AppError('UNAUTHENTICATED', 'The API key is invalid or revoked.');
      if (row.expiresAt && row.expiresAt.getTime() <= now()) throw new AppError('UNAUTHENTICATED', 'The API key has expired.');
      // Best effort: a failed bookkeeping write must not fail the request.
      void db.update(apiKeys).set({ lastUsedAt: new Date(now()) }).where(eq(apiKeys.id, row.id)).catch(() => undefined);
      return { kind: 'apiKey', organizationId: row.organizationId, userId: null, role: 'admin', apiKeyId: row.id, scopes: row.scopes };
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
