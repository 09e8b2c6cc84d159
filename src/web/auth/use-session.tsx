import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { api, ApiError } from '../api/client.js';
import type { Locale, PublicConfig, User } from '../api/types.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { browserTimeZone } from '../i18n/time-zone.js';
import { fetchConfig, fetchSession, sessionKeys, sessionUrls, type SignedIn } from './session-api.js';

export type { SignedIn };

type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; config: PublicConfig; session: SignedIn | null };

interface SessionValue {
  state: SessionState;
  /** The signed-in user and organization, or null (also while loading). */
  session: SignedIn | null;
  config: PublicConfig | null;
  retry(): void;
  signIn(input: { email: string; password: string }): Promise<void>;
  signUp(input: { name: string; email: string; password: string }): Promise<void>;
  signOut(): Promise<void>;
  /** Switches the UI language; when signed in, saves it on the account (PATCH /api/me). */
  changeLocale(locale: Locale): Promise<void>;
  /** Saves account preferences (PATCH /api/me) and keeps the session's user in step. */
  updateMe(patch: { timeZone?: string }): Promise<void>;
  /** Forgets the session after the API answered 401 (expired or revoked elsewhere). */
  markSignedOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * The public config and the cookie session, as two queries; owns sign-in/up/out. When the user
 * changes, every other cached answer is dropped (no one sees the previous user's data), and any
 * query or mutation answered 401 ends the local session so the guards send to /login.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { locale, setLocale } = useI18n();
  const queryClient = useQueryClient();
  const config = useQuery({ queryKey: sessionKeys.config, queryFn: ({ signal }) => fetchConfig(signal), staleTime: Infinity });
  const me = useQuery({
    queryKey: sessionKeys.me,
    queryFn: async ({ signal }) => {
      const session = await fetchSession(signal);
      // The language saved on the account wins over this browser's last choice.
      if (session) setLocale(session.user.locale);
      return session;
    },
    staleTime: Infinity,
  });

  const setSession = useCallback(
    (session: SignedIn | null) => {
      const previous = queryClient.getQueryData<SignedIn | null>(sessionKeys.me);
      if (previous?.user.id !== session?.user.id) {
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.config[0] && q.queryKey[0] !== sessionKeys.me[0] });
      }
      queryClient.setQueryData(sessionKeys.me, session);
    },
    [queryClient],
  );
  const markSignedOut = useCallback(() => setSession(null), [setSession]);

  useEffect(() => {
    const on401 = (error: unknown) => {
      if (error instanceof ApiError && error.status === 401 && queryClient.getQueryData(sessionKeys.me)) markSignedOut();
    };
    const queries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') on401(event.action.error);
    });
    const mutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') on401(event.action.error);
    });
    return () => {
      queries();
      mutations();
    };
  }, [queryClient, markSignedOut]);

  const retry = useCallback(() => {
    void queryClient.refetchQueries({ queryKey: sessionKeys.config });
    void queryClient.refetchQueries({ queryKey: sessionKeys.me });
  }, [queryClient]);

  const afterSignIn = useCallback(async () => {
    const session = await fetchSession();
    if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'The session cookie was not accepted by the browser.');
    setLocale(session.user.locale);
    setSession(session);
  }, [setLocale, setSession]);

  const signIn = useCallback<SessionValue['signIn']>(
    async ({ email, password }) => {
      await api('POST', sessionUrls.signIn, { email, password });
      await afterSignIn();
    },
    [afterSignIn],
  );

  const signUp = useCallback<SessionValue['signUp']>(
    async ({ name, email, password }) => {
      // The browser's zone becomes the account's (emails are written in it); changeable in "Mon compte".
      await api('POST', sessionUrls.signUp, { name, email, password, locale, timeZone: browserTimeZone() });
      await afterSignIn();
    },
    [afterSignIn, locale],
  );

  const signOut = useCallback(async () => {
    await api('POST', sessionUrls.signOut);
    setSession(null);
  }, [setSession]);

  const session = me.data ?? null;

  const changeLocale = useCallback(
    async (next: Locale) => {
      setLocale(next);
      if (!session || session.user.locale === next) return;
      const { user } = await api<{ user: User }>('PATCH', sessionUrls.me, { locale: next });
      setSession({ ...session, user });
    },
    [session, setLocale, setSession],
  );

  const updateMe = useCallback(
    async (patch: { timeZone?: string }) => {
      if (!session) return;
      const { user } = await api<{ user: User }>('PATCH', sessionUrls.me, patch);
      setSession({ ...session, user });
    },
    [session, setSession],
  );

  const state = useMemo<SessionState>(() => {
    if (config.data && me.data !== undefined) return { status: 'ready', config: config.data, session: me.data };
    const error = config.error ?? me.error;
    if (error && !config.isFetching && !me.isFetching) return { status: 'error', error };
    return { status: 'loading' };
  }, [config.data, config.error, config.isFetching, me.data, me.error, me.isFetching]);

  const value = useMemo<SessionValue>(
    () => ({ state, session, config: config.data ?? null, retry, signIn, signUp, signOut, changeLocale, updateMe, markSignedOut }),
    [state, session, config.data, retry, signIn, signUp, signOut, changeLocale, updateMe, markSignedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
