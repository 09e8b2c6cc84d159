import type { ApiKeyScope, Role } from '../shared/accounts.js';
import { AppError } from './errors.js';

/** Who is making a request, resolved once per request by the auth hook (platform/auth-hook.ts). */
export interface Actor {
  kind: 'user' | 'apiKey';
  organizationId: string;
  /** null for an organization API key: it acts for the organization, not a person. */
  userId: string | null;
  role: Role;
  apiKeyId?: string;
  /** What an organization API key may do (`admin` is everything); absent for people. */
  scopes?: ApiKeyScope[];
  sessionId?: string;
}

/** Admins and organization API keys see everything in their organization; others only their own. */
export function seesWholeOrganization(actor: Actor): boolean {
  return actor.kind === 'apiKey' || actor.role === 'admin';
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new AppError('FORBIDDEN', `This action needs the role ${roles.join(' or ')}.`);
  }
}

export function requireHuman(actor: Actor): asserts actor is Actor & { userId: string } {
  if (actor.userId === null) throw new AppError('FORBIDDEN', 'This action needs a signed-in user, not an API key.');
}

/**
 * Whether the actor may do what `scope` covers. People are limited by their role, not by scopes;
 * an API key needs the scope itself or `admin`.
 */
export function hasScope(actor: Actor, scope: ApiKeyScope): boolean {
  if (actor.kind !== 'apiKey') return true;
  const scopes = actor.scopes ?? [];
  return scopes.includes('admin') || scopes.includes(scope);
}

/** Refuses an API key without `scope` (403 MISSING_SCOPE, `details.scope` names it); people are not scoped. */
export function requireScope(actor: Actor, scope: ApiKeyScope): void {
  if (!hasScope(actor, scope)) throw new AppError('MISSING_SCOPE', `This API key lacks the scope "${scope}".`, { scope });
}
