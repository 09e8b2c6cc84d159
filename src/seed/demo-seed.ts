import type { AppContext } from '../app.js';
import { makeOrganization, makeUser } from './factories.js';
import { eq } from 'drizzle-orm';
import { organizations, users } from '../db/core-tables.js';

export const DEMO_ORGANIZATION = { name: 'Coach Hub Démo', slug: 'demo' };

/** The demo logins printed at first start. Later features add their demo content here. */
export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.coachhub.local', password: 'demo-admin-2026', name: 'Alice Admin' },
  { role: 'coach', email: 'coach@demo.coachhub.local', password: 'demo-coach-2026', name: 'Camille Coach' },
  { role: 'member', email: 'member@demo.coachhub.local', password: 'demo-member-2026', name: 'Maxime Membre' },
  // A member on the BASIC plan (50 credits a month) with a conversation.
  { role: 'member', email: 'basic@demo.coachhub.local', password: 'demo-basic-2026', name: 'Bastien Basic', plan: 'BASIC' },
] as const;

const DEMO_CHAT = ['Bonjour ! Je suis timide et j’ai un premier rendez-vous samedi.', 'Comment engager la conversation sans paraître maladroit ?'];

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
    const plan = 'plan' in login ? login.plan : 'FREE';
    if (!found) await makeUser(ctx, { organizationId: org.id, role: login.role, email: login.email, password: login.password, name: login.name, plan });
  }
  await seedDemoChat(ctx, org.id);
  await seedCoachingOffer(ctx, org.id);
  return { organization: org, logins: DEMO_LOGINS };
}

/** A demo conversation for the BASIC member (through the real send path, so credits add up). */
async function seedDemoChat(ctx: AppContext, organizationId: string) {
  const admin = { kind: 'apiKey' as const, organizationId, userId: null, role: 'admin' as const };
  const basic = (await ctx.services.users.list(admin)).find((u) => u.email === 'basic@demo.coachhub.local');
  if (!basic) return;
  const { sessions } = await ctx.services.chat.sessions.list(basic.id, { limit: 1 });
  if (sessions.length > 0) return;
  let sessionId: string | undefined;
  for (const message of DEMO_CHAT) {
    const prepared = await ctx.services.chat.sendMessage.prepare({ organizationId, userId: basic.id, sessionId, message });
    sessionId = (await prepared.run()).sessionId;
  }
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
