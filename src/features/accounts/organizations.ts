import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organizations } from '../../db/core-tables.js';
import { AppError } from '../../platform/errors.js';

export type Organization = typeof organizations.$inferSelect;

export function createOrganizations(db: Db) {
  return {
    async create(input: { name: string; slug: string }): Promise<Organization> {
      const [existing] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, input.slug));
      if (existing) throw new AppError('CONFLICT', `An organization with the slug "${input.slug}" already exists.`, { field: 'slug' });
      const [row] = await db.insert(organizations).values({ id: randomUUID(), name: input.name, slug: input.slug }).returning();
      return row!;
    },
    async bySlug(slug: string): Promise<Organization | undefined> {
      const [row] = await db.select().from(organizations).where(eq(organizations.slug, slug));
      return row;
    },
    async byId(id: string): Promise<Organization | undefined> {
      const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
      return row;
    },
    async list(): Promise<Organization[]> {
      return db.select().from(organizations).orderBy(organizations.createdAt);
    },
  };
}

export type Organizations = ReturnType<typeof createOrganizations>;
