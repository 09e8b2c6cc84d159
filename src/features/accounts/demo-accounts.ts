import { verifyPassword } from 'better-auth/crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, users } from '../../db/core-tables.js';

/**
 * The demo logins. Their passwords are published (README, the start banner) for a local try-out;
 * a production server seeds the same accounts with random passwords (seed/demo-seed.ts).
 */
export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.coachhub.local', password: 'demo-admin-2026', name: 'Alice Admin' },
  { role: 'coach', email: 'coach@demo.coachhub.local', password: 'demo-coach-2026', name: 'Camille Coach' },
  { role: 'member', email: 'member@demo.coachhub.local', password: 'demo-member-2026', name: 'Maxime Membre' },
  // A member on the BASIC plan (50 credits a month) with a conversation.
  { role: 'member', email: 'basic@demo.coachhub.local', password: 'demo-basic-2026', name: 'Bastien Basic', plan: 'BASIC' },
] as const;

const PUBLISHED = new Map<string, string>(DEMO_LOGINS.map((login) => [login.email, login.password]));

/**
 * Whether an organization is administered by a demo account that still signs in with its
 * published password: anyone can then be its admin, so public sign-ups must not join it. Read
 * from the stored hash each time (a changed password reopens sign-up at once); the scrypt
 * verification is remembered per stored hash, so it costs once per password, not per sign-up.
 */
export function createDemoPasswordCheck(db: Db) {
  const verdicts = new Map<string, boolean>();
  return async function hasPublishedAdminPassword(organizationId: string): Promise<boolean> {
    const admins = await db
      .select({ email: users.email, hash: accounts.password })
      .from(users)
      .innerJoin(accounts, and(eq(accounts.userId, users.id), eq(accounts.providerId, 'credential')))
      .where(and(eq(users.organizationId, organizationId), eq(users.role, 'admin'), inArray(users.email, [...PUBLISHED.keys()])));
    for (const admin of admins) {
      if (!admin.hash) continue;
      let published = verdicts.get(admin.hash);
      if (published === undefined) {
        published = await verifyPassword({ hash: admin.hash, password: PUBLISHED.get(admin.email)! }).catch(() => false);
        if (verdicts.size > 1_000) verdicts.clear();
        verdicts.set(admin.hash, published);
      }
      if (published) return true;
    }
    return false;
  };
}
