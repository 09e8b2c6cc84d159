import { randomUUID } from 'node:crypto';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { announcements, availabilities } from './tables.js';
import { users } from '../../db/core-tables.js';
import { seesWholeOrganization, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { assertVisible, inOrganization } from '../../platform/scope.js';
import { nextSlots, type WeeklyWindow } from './availability.js';
import type { ZAnnouncement, ZAnnouncementInput, ZAnnouncementUpdate } from '../../shared/api/bookings.js';

type AnnouncementRow = typeof announcements.$inferSelect;
export type AnnouncementView = z.infer<typeof ZAnnouncement>;

function view(row: AnnouncementRow, coachName: string): AnnouncementView {
  return {
    id: row.id,
    coachId: row.coachId,
    coachName,
    title: row.title,
    description: row.description,
    durationMs: row.durationMs,
    priceCents: row.priceCents,
    currency: row.currency,
    language: row.language,
    discordUrl: row.discordUrl,
    active: row.active === 1,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Coaches' offers and weekly availability. Everyone in the organization may read them; only
 * the coach (or an admin) changes them.
 */
export function createAnnouncements(db: Db, now: () => number = Date.now) {
  async function names(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(ids)]));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The coach a write acts for: the actor when a coach; any coach of the organization for an admin. */
  async function coachFor(actor: Actor, coachId: string | undefined): Promise<string> {
    const id = coachId ?? actor.userId;
    if (!id) throw new AppError('VALIDATION_FAILED', 'coachId is required with an API key.', { field: 'coachId' });
    if (id !== actor.userId && !seesWholeOrganization(actor)) throw new AppError('FORBIDDEN', 'You may only manage your own offers.');
    const [coach] = await db.select().from(users).where(inOrganization(actor, users.organizationId, eq(users.id, id)));
    if (!coach) throw new AppError('NOT_FOUND', 'Coach not found.');
    if (coach.role !== 'coach') throw new AppError('VALIDATION_FAILED', 'Invalid coachId: that user is not a coach.', { field: 'coachId' });
    return coach.id;
  }

  async function editable(actor: Actor, id: string): Promise<AnnouncementRow> {
    const [row] = await db.select().from(announcements).where(inOrganization(actor, announcements.organizationId, eq(announcements.id, id)));
    return assertVisible(actor, row, (r) => r.coachId, 'Announcement');
  }

  async function windowsOf(coachId: string): Promise<WeeklyWindow[]> {
    return db
      .select({ weekday: availabilities.weekday, startMinute: availabilities.startMinute, endMinute: availabilities.endMinute, timeZone: availabilities.timeZone })
      .from(availabilities)
      .where(eq(availabilities.coachId, coachId))
      .orderBy(asc(availabilities.weekday), asc(availabilities.startMinute));
  }

  return {
    windowsOf,

    async create(actor: Actor, input: z.infer<typeof ZAnnouncementInput> & { coachId?: string }): Promise<AnnouncementView> {
      const coachId = await coachFor(actor, input.coachId);
      const [row] = await db
        .insert(announcements)
        .values({
          id: randomUUID(),
          organizationId: actor.organizationId,
          coachId,
          title: input.title,
          description: input.description,
          durationMs: input.durationMs,
          priceCents: input.priceCents,
          currency: input.currency,
          language: input.language,
          discordUrl: input.discordUrl ?? null,
        })
        .returning();
      return view(row!, (await names([coachId])).get(coachId) ?? '');
    },

    async update(actor: Actor, id: string, input: z.infer<typeof ZAnnouncementUpdate>): Promise<AnnouncementView> {
      const existing = await editable(actor, id);
      const { active, ...rest } = input;
      const changes = Object.fromEntries(Object.entries({ ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }) }).filter(([, v]) => v !== undefined));
      // Nothing to change (`{}`): the offer as it is, rather than an UPDATE without columns.
      if (Object.keys(changes).length === 0) return view(existing, (await names([existing.coachId])).get(existing.coachId) ?? '');
      const [row] = await db
        .update(announcements)
        .set(changes)
        .where(eq(announcements.id, existing.id))
        .returning();
      return view(row!, (await names([row!.coachId])).get(row!.coachId) ?? '');
    },

    /** Offers of the organization (active ones, unless `includeInactive` for their coach/admins). */
    async list(actor: Actor, filter: { coachId?: string | undefined } = {}): Promise<AnnouncementView[]> {
      const rows = await db
        .select()
        .from(announcements)
        .where(inOrganization(actor, announcements.organizationId, filter.coachId ? eq(announcements.coachId, filter.coachId) : undefined))
        .orderBy(desc(announcements.createdAt));
      const visible = rows.filter((r) => r.active === 1 || r.coachId === actor.userId || seesWholeOrganization(actor));
      const byId = await names(visible.map((r) => r.coachId));
      return visible.map((r) => view(r, byId.get(r.coachId) ?? ''));
    },

    async get(actor: Actor, id: string): Promise<AnnouncementView & { slots: { startDate: string; endDate: string }[] }> {
      const [row] = await db.select().from(announcements).where(inOrganization(actor, announcements.organizationId, eq(announcements.id, id)));
      if (!row) throw new AppError('NOT_FOUND', 'Announcement not found.');
      const slots = nextSlots(await windowsOf(row.coachId), row.durationMs, now() + 60 * 60_000, 12).map((s) => ({
        startDate: new Date(s.startMs).toISOString(),
        endDate: new Date(s.endMs).toISOString(),
      }));
      return { ...view(row, (await names([row.coachId])).get(row.coachId) ?? ''), slots };
    },

    async availability(actor: Actor, coachId: string): Promise<WeeklyWindow[]> {
      const [coach] = await db.select({ id: users.id }).from(users).where(inOrganization(actor, users.organizationId, eq(users.id, coachId)));
      if (!coach) throw new AppError('NOT_FOUND', 'Coach not found.');
      return windowsOf(coachId);
    },

    /** Replaces the coach's weekly availability. */
    async setAvailability(actor: Actor, coachIdInput: string | undefined, windows: WeeklyWindow[]): Promise<WeeklyWindow[]> {
      const coachId = await coachFor(actor, coachIdInput);
      await db.transaction(async (tx) => {
        await tx.delete(availabilities).where(eq(availabilities.coachId, coachId));
        if (windows.length) {
          await tx.insert(availabilities).values(windows.map((w) => ({ id: randomUUID(), organizationId: actor.organizationId, coachId, ...w })));
        }
      });
      return windowsOf(coachId);
    },
  };
}

export type Announcements = ReturnType<typeof createAnnouncements>;
