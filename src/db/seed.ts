import type { AppContext } from '../app.js';
import { makeOrganization, makeUser } from './factories.js';
import { organizations } from './schema.js';

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
    const [found] = (await ctx.services.users.list({ kind: 'apiKey', organizationId: org.id, userId: null, role: 'admin' })).filter(
      (u) => u.email === login.email,
    );
    if (!found) await makeUser(ctx, { organizationId: org.id, role: login.role, email: login.email, password: login.password, name: login.name, plan: 'FREE' });
  }
  await seedCoachingOffer(ctx, org.id);
  return { organization: org, logins: DEMO_LOGINS };
}

/** The demo coach's offer and weekly availability (weekdays 09:00–18:00, Paris time). */
async function seedCoachingOffer(ctx: AppContext, organizationId: string) {
  const admin = { kind: 'apiKey' as const, organizationId, userId: null, role: 'admin' as const };
  const coach = (await ctx.services.users.list(admin)).find((u) => u.email === DEMO_LOGINS[1].email);
  if (!coach) return;
  if ((await ctx.services.announcements.list(admin, { coachId: coach.id })).length > 0) return;
  await ctx.services.announcements.create(admin, {
    coachId: coach.id,
    title: 'Séance de coaching individuelle',
    description: 'Une heure en visio pour analyser vos objectifs et repartir avec un plan d’action.',
    durationMs: 60 * 60_000,
    priceCents: 4500,
    currency: 'EUR',
    language: 'fr',
    discordUrl: null,
  });
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 18 * 60, timeZone: 'Europe/Paris' }));
  await ctx.services.announcements.setAvailability(admin, coach.id, weekdays);
}
