import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import type { Locale, Plan, Role } from '../shared/accounts.js';

/**
 * Factories shared by the demo seed and the tests, so both build data the same way (through
 * the services, never raw inserts that could skip an invariant).
 */
export async function makeOrganization(ctx: AppContext, input: { name?: string; slug?: string } = {}) {
  const slug = input.slug ?? `org-${randomUUID().slice(0, 8)}`;
  return ctx.services.organizations.create({ name: input.name ?? `Organization ${slug}`, slug });
}

export async function makeUser(
  ctx: AppContext,
  input: { organizationId: string; role?: Role; email?: string; password?: string; name?: string; plan?: Plan; locale?: Locale; timeZone?: string },
) {
  const role = input.role ?? 'member';
  const password = input.password ?? `pw-${randomUUID()}`;
  const email = input.email ?? `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const user = await ctx.services.users.createWithPassword({
    organizationId: input.organizationId,
    email,
    password,
    name: input.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${email.split('@')[0]}`,
    role,
    plan: input.plan ?? 'FREE',
    locale: input.locale ?? 'fr',
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  });
  return { user, password };
}
