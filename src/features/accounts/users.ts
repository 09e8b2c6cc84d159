import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, users } from '../../db/core-tables.js';
import { DEFAULT_TIME_ZONE, type Locale, type Plan, type Role } from '../../shared/accounts.js';
import { requireRole, requireScope, seesWholeOrganization, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/to-app-error.js';
import { assertVisible, visibleTo } from '../../platform/scope.js';
import type { Auth } from './auth.js';

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  name: string;
  email: string;
  organizationId: string;
  role: Role;
  plan: Plan;
  locale: Locale;
  timeZone: string;
  createdAt: string;
}

export const userView = (u: UserRow): UserView => ({
  id: u.id,
  name: u.name,
  email: u.email,
  organizationId: u.organizationId,
  role: u.role,
  plan: u.plan,
  locale: u.locale,
  timeZone: u.timeZone,
  createdAt: u.createdAt.toISOString(),
});

const owned = { organizationId: users.organizationId, ownerId: users.id };

export function createUsers(db: Db, auth: Auth) {
  return {
    /**
     * Creates a user with a password inside an organization (CLI, seed, admins). Hashing is
     * better-auth's own, so these users sign in exactly like self-registered ones.
     */
    async createWithPassword(input: {
      organizationId: string;
      email: string;
      password: string;
      name: string;
      role?: Role;
      plan?: Plan;
      locale?: Locale;
      timeZone?: string;
    }): Promise<UserView> {
      const email = input.email.trim().toLowerCase();
      const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (existing) throw new AppError('CONFLICT', 'A user with this email already exists.', { field: 'email' });
      const ctx = await auth.$context;
      const hash = await ctx.password.hash(input.password);
      const id = randomUUID();
      const row = await db.transaction(async (tx) => {
        // The check above races with a concurrent creation: the unique index decides (409, below).
        const [created] = await tx
          .insert(users)
          .values({
            id,
            email,
            name: input.name,
            organizationId: input.organizationId,
            role: input.role ?? 'member',
            plan: input.plan ?? 'FREE',
            locale: input.locale ?? 'fr',
            timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
          })
          .returning();
        await tx.insert(accounts).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash });
        return created!;
      }).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'A user with this email already exists.', { field: 'email' });
        throw err;
      });
      return userView(row);
    },

    /** Users the actor may see: the whole organization for admins, else only themselves. */
    async list(actor: Actor): Promise<UserView[]> {
      const rows = await db.select().from(users).where(visibleTo(actor, owned)).orderBy(asc(users.createdAt));
      return rows.map(userView);
    },

    async get(actor: Actor, id: string): Promise<UserView> {
      const [row] = await db.select().from(users).where(and(eq(users.id, id), eq(users.organizationId, actor.organizationId)));
      return userView(assertVisible(actor, row, (u) => u.id, 'User'));
    },

    /** Whether a user belongs to an organization (for endpoints taking a userId). */
    async isInOrganization(userId: string, organizationId: string): Promise<boolean> {
      const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
      return Boolean(row);
    },

    /** Name, locale and time zone are the user's own; role and plan only an admin changes. */
    async update(actor: Actor, id: string, patch: { name?: string; locale?: Locale; timeZone?: string; role?: Role; plan?: Plan }): Promise<UserView> {
      await this.get(actor, id);
      if (patch.role !== undefined || patch.plan !== undefined) {
        requireRole(actor, 'admin');
        // An API key changes roles and plans only with the `admin` scope (users:write is for members).
        requireScope(actor, 'admin');
      }
      if (patch.role !== undefined && id === actor.userId && patch.role !== 'admin') {
        throw new AppError('CONFLICT', 'An admin cannot remove their own admin role.', { field: 'role' });
      }
      const [row] = await db
        .update(users)
        .set({ ...patch, updatedAt: new Date() })
        .where(visibleTo(actor, owned, eq(users.id, id)))
        .returning();
      if (!row) throw new AppError('NOT_FOUND', 'User not found.');
      return userView(row);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await this.get(actor, id);
      if (!seesWholeOrganization(actor)) throw new AppError('FORBIDDEN', 'Only an admin can delete users.');
      if (id === actor.userId) throw new AppError('CONFLICT', 'You cannot delete your own account here.');
      await db.delete(users).where(visibleTo(actor, owned, eq(users.id, id)));
    },
  };
}

export type Users = ReturnType<typeof createUsers>;
