import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../app.js';
import { organizations, users } from '../db/core-tables.js';
import { DEMO_LOGINS } from '../features/accounts/demo-accounts.js';
import { makeOrganization, makeUser } from './factories.js';

export { DEMO_LOGINS };
export const DEMO_ORGANIZATION = { name: 'Coach Hub Démo', slug: 'demo' };

const DEMO_CHAT = ['Bonjour ! Je suis timide et j’ai un premier rendez-vous samedi.', 'Comment engager la conversation sans paraître maladroit ?'];

export interface DemoLogin {
  role: string;
  email: string;
  /** The password of an account created now; null when the account already existed (unchanged). */
  password: string | null;
}

/**
 * Loads the demo organization, an admin, a coach and members. `passwords: 'published'` (the
 * default, for a local try-out) uses the README's passwords; `'random'` (production) gives each
 * new account a random one, returned here once and stored nowhere else.
 * With onlyIfEmpty it does nothing when any organization exists (so restarts are no-ops).
 */
export async function seedDemo(ctx: AppContext, options: { onlyIfEmpty?: boolean; passwords?: 'published' | 'random' } = {}) {
  const existing = await ctx.database.db.select({ id: organizations.id }).from(organizations).limit(1);
  if (options.onlyIfEmpty && existing.length > 0) return null;
  const org =
    (await ctx.services.organizations.bySlug(DEMO_ORGANIZATION.slug)) ?? (await makeOrganization(ctx, DEMO_ORGANIZATION));
  const logins: DemoLogin[] = [];
  for (const login of DEMO_LOGINS) {
    const [found] = await ctx.database.db.select({ id: users.id }).from(users).where(eq(users.email, login.email));
    const plan = 'plan' in login ? login.plan : 'FREE';
    const password = options.passwords === 'random' ? randomBytes(15).toString('base64url') : login.password;
    if (!found) await makeUser(ctx, { organizationId: org.id, role: login.role, email: login.email, password, name: login.name, plan });
    logins.push({ role: login.role, email: login.email, password: found ? null : password });
  }
  await seedDemoChat(ctx, org.id);
  await seedCoachingOffer(ctx, org.id);
  return { organization: org, logins };
}

/** The lines that show the demo logins (printed once to stdout, never logged). */
export function demoLoginLines(logins: DemoLogin[]): string[] {
  return logins.map((l) => `  ${l.role.padEnd(7)} ${l.email}  /  ${l.password ?? '(existing account, password unchanged)'}`);
}

/**
 * At start: loads the demo data into an empty database when SEED_DEMO (default: outside
 * production), with random passwords on a production server, and writes the logins once.
 */
export async function seedDemoAtStart(ctx: AppContext, write: (text: string) => void): Promise<boolean> {
  if (!ctx.config.SEED_DEMO) return false;
  const production = ctx.config.NODE_ENV === 'production';
  const seeded = await seedDemo(ctx, { onlyIfEmpty: true, passwords: production ? 'random' : 'published' });
  if (!seeded) return false;
  const heading = production
    ? 'Demo logins, with random passwords shown only this once (note them now; change them or delete these accounts before going live):'
    : 'Demo logins (published passwords, for a local try-out: public sign-up stays closed until the admin password is changed):';
  write(['', heading, ...demoLoginLines(seeded.logins), ''].join('\n') + '\n');
  return true;
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
