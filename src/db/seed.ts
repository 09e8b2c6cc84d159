import type { AppContext } from '../app.js';
import { makeOrganization, makeUser } from './factories.js';
import { eq } from 'drizzle-orm';
import { organizations, users } from './schema.js';

export const DEMO_ORGANIZATION = { name: 'Coach Hub Démo', slug: 'demo' };

/** The demo logins printed at first start. Later features add their demo content here. */
export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.coachhub.local', password: 'demo-admin-2026', name: 'Alice Admin' },
  { role: 'coach', email: 'coach@demo.coachhub.local', password: 'demo-coach-2026', name: 'Camille Coach' },
  { role: 'member', email: 'member@demo.coachhub.local', password: 'demo-member-2026', name: 'Maxime Membre' },
] as const;

/**
 * Loads the demo organization, an admin, a coach and a member on the FREE plan.
 * With onlyIfEmpty it does nothing when any organization exists (so restarts are no-ops).
 */
export async function seedDemo(ctx: AppContext, options: { onlyIfEmpty?: boolean } = {}) {
  const existing = await ctx.database.db.select({ id: organizations.id }).from(organizations).limit(1);
  if (options.onlyIfEmpty && existing.length > 0) return null;
  const org =
    (await ctx.services.organizations.bySlug(DEMO_ORGANIZATION.slug)) ?? (await makeOrganization(ctx, DEMO_ORGANIZATION));
  for (const login of DEMO_LOGINS) {
    const [found] = await ctx.database.db.select({ id: users.id }).from(users).where(eq(users.email, login.email));
    if (!found) await makeUser(ctx, { organizationId: org.id, role: login.role, email: login.email, password: login.password, name: login.name, plan: 'FREE' });
  }
  return { organization: org, logins: DEMO_LOGINS };
}
