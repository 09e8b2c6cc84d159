import type { Role } from '../shared/accounts.js';
import { AppError } from './errors.js';

/** Who is making a request, resolved once per request by the auth hook (platform/auth-hook.ts). */
export interface Actor {
  kind: 'user' | 'apiKey';
  organizationId: string;
  /** null for an organization API key: it acts for the organization, not a person. */
  userId: string | null;
  role: Role;
  apiKeyId?: string;
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
