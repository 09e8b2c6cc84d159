import { and, eq, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { seesWholeOrganization, type Actor } from './actor.js';
import { AppError } from './errors.js';

/**
 * Scoping by default: every read or write of tenant data goes through a filter built from
 * the actor, so a route cannot forget it. Another organization's rows are never matched;
 * within the organization, only admins (and organization API keys) see other users' rows.
 */
export interface OwnedColumns {
  organizationId: PgColumn;
  /** The column naming the user a row belongs to. */
  ownerId: PgColumn;
}

/** WHERE clause limiting rows to what the actor may see, ANDed with extra conditions. */
export function visibleTo(actor: Actor, cols: OwnedColumns, ...extra: (SQL | undefined)[]): SQL {
  const conditions: (SQL | undefined)[] = [eq(cols.organizationId, actor.organizationId), ...extra];
  if (!seesWholeOrganization(actor)) {
    // A user without a user id (cannot happen for kind 'user') sees nothing rather than everything.
    conditions.push(eq(cols.ownerId, actor.userId ?? '\u0000'));
  }
  return and(...conditions) as SQL;
}

/** WHERE clause for the actor's organization only (for org-wide resources such as API keys). */
export function inOrganization(actor: Actor, organizationId: PgColumn, ...extra: (SQL | undefined)[]): SQL {
  return and(eq(organizationId, actor.organizationId), ...extra) as SQL;
}

/**
 * Checks a row fetched within the actor's organization: another user's row is FORBIDDEN
 * (same organization, so its existence is no secret); a missing row is NOT_FOUND.
 */
export function assertVisible<T extends { organizationId: string }>(
  actor: Actor,
  row: T | undefined,
  ownerOf: (row: T) => string | null,
  what: string,
): T {
  if (!row || row.organizationId !== actor.organizationId) throw new AppError('NOT_FOUND', `${what} not found.`);
  if (!seesWholeOrganization(actor) && ownerOf(row) !== actor.userId) {
    throw new AppError('FORBIDDEN', `This ${what.toLowerCase()} belongs to another user.`);
  }
  return row;
}

/**
 * Rows with two owners (a coaching session: its coach and its player). Columns naming the
 * organization and every participant of a row.
 */
export interface ParticipantColumns {
  organizationId: PgColumn;
  participants: PgColumn[];
}

/**
 * WHERE clause for rows with several owners: the actor's organization, and only the rows the
 * actor takes part in unless the actor is an admin or an organization API key.
 */
export function visibleToParticipants(actor: Actor, cols: ParticipantColumns, ...extra: (SQL | undefined)[]): SQL {
  const conditions: (SQL | undefined)[] = [eq(cols.organizationId, actor.organizationId), ...extra];
  if (!seesWholeOrganization(actor)) {
    const me = actor.userId ?? '\u0000';
    conditions.push(or(...cols.participants.map((c) => eq(c, me))));
  }
  return and(...conditions) as SQL;
}

export interface ParticipantRule {
  /** Whether admins and API keys of the organization pass too (default true). Private rows (a video call) say false. */
  wholeOrganization?: boolean;
  /** The FORBIDDEN message for a colleague who is not a participant. */
  forbidden?: string;
}

/**
 * Checks a row with several owners: another organization's row (or none) is NOT_FOUND (its
 * existence is not disclosed); a colleague who is not one of `participantsOf(row)` is
 * FORBIDDEN (unless an admin or API key, when `wholeOrganization` allows them).
 */
export function assertParticipant<T extends { organizationId: string }>(
  actor: Actor,
  row: T | undefined,
  participantsOf: (row: T) => (string | null)[],
  what: string,
  rule: ParticipantRule = {},
): T {
  if (!row || row.organizationId !== actor.organizationId) throw new AppError('NOT_FOUND', `${what} not found.`);
  if ((rule.wholeOrganization ?? true) && seesWholeOrganization(actor)) return row;
  if (actor.userId === null || !participantsOf(row).includes(actor.userId)) {
    throw new AppError('FORBIDDEN', rule.forbidden ?? `This ${what.toLowerCase()} belongs to other people.`);
  }
  return row;
}

/**
 * Resolves the `userId` a request acts for: the actor itself by default; another user only
 * for admins / API keys, and only inside their organization (checked by `inOrg`).
 */
export async function actingUserId(
  actor: Actor,
  requested: string | undefined,
  inOrg: (userId: string, organizationId: string) => Promise<boolean>,
): Promise<string> {
  if (requested === undefined || requested === actor.userId) {
    if (actor.userId === null) throw new AppError('VALIDATION_FAILED', 'userId is required with an API key.', { field: 'userId' });
    return actor.userId;
  }
  if (!seesWholeOrganization(actor)) throw new AppError('FORBIDDEN', 'You may only act for yourself.');
  if (!(await inOrg(requested, actor.organizationId))) throw new AppError('FORBIDDEN', 'That user is not in your organization.');
  return requested;
}
