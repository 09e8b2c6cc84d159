import type { Actor } from '../../platform/actor.js';
import type { ActorResolvers } from '../../platform/auth-hook.js';
import type { Role } from '../../shared/accounts.js';
import type { AccessTokens } from './access-tokens.js';
import { API_KEY_PREFIX, type ApiKeys } from './api-keys.js';
import { apiKeyScopeOf } from './api-key-scopes.js';
import type { Auth } from './auth.js';
import { toHeaders } from './auth-bridge.js';

/**
 * How the auth hook (platform/auth-hook.ts) learns who is asking: a Bearer API key (`chk_…`) or
 * access token, else the better-auth session cookie of the web app.
 */
export function actorResolvers(deps: { apiKeys: ApiKeys; accessTokens: AccessTokens; auth: Auth; trustedOrigins: string[] }): ActorResolvers {
  const toActor = (user: { id: string; organizationId?: unknown; role?: unknown }, sessionId: string): Actor => ({
    kind: 'user',
    userId: user.id,
    organizationId: String(user.organizationId),
    role: user.role as Role,
    sessionId,
  });
  return {
    trustedOrigins: deps.trustedOrigins,
    scopeOf: apiKeyScopeOf,
    fromBearer: (token) => (token.startsWith(API_KEY_PREFIX) ? deps.apiKeys.verify(token) : deps.accessTokens.verify(token)),
    fromCookies: async (request) => {
      if (!request.headers.cookie) return null;
      const result = await deps.auth.api.getSession({ headers: toHeaders(request) });
      return result ? toActor(result.user, result.session.id) : null;
    },
  };
}
