import type { Me, Organization, PublicConfig, User } from '../api/types.js';
import { api, ApiError } from '../api/client.js';

/** The accounts API paths the session uses, written once. */
export const sessionUrls = {
  config: '/api/config',
  me: '/api/me',
  signIn: '/api/auth/sign-in/email',
  signUp: '/api/auth/sign-up/email',
  signOut: '/api/auth/sign-out',
} as const;

/** Query keys of the session: the public config and who is signed in (null when nobody). */
export const sessionKeys = {
  config: ['config'] as const,
  me: ['me'] as const,
};

export interface SignedIn {
  user: User;
  organization: Organization;
}

export const fetchConfig = (signal?: AbortSignal) => api<PublicConfig>('GET', sessionUrls.config, undefined, signal);

/** The cookie session's user and organization, or null when signed out. */
export async function fetchSession(signal?: AbortSignal): Promise<SignedIn | null> {
  try {
    const me = await api<Me>('GET', sessionUrls.me, undefined, signal);
    return me.user ? { user: me.user, organization: me.organization } : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}
