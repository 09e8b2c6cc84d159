import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/client.js';
import type { Locale, Me, Organization, PublicConfig, User } from '../api/types.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { browserTimeZone } from '../i18n/time-zone.js';

export interface SignedIn {
  user: User;
  organization: Organization;
}

type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
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

async function fetchSession(): Promise<SignedIn | null> {
  try {
    const me = await api<Me>('GET', '/api/me');
    return me.user ? { user: me.user, organization: me.organization } : null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Loads the public config and the cookie session once, and owns sign-in/up/out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { locale, setLocale } = useI18n();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api<PublicConfig>('GET', '/api/config'), fetchSession()]).then(
      ([config, session]) => {
        if (cancelled) return;
        // The language saved on the account wins over this browser's last choice.
        if (session) setLocale(session.user.locale);
        setState({ status: 'ready', config, session });
      },
      (err: unknown) => {
        if (cancelled) return;
        setState({ status: 'error', error: err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, setLocale]);

  const setSession = useCallback((session: SignedIn | null) => {
    setState((previous) => (previous.status === 'ready' ? { ...previous, session } : previous));
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const afterSignIn = useCallback(async () => {
    const session = await fetchSession();
    if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'The session cookie was not accepted by the browser.');
    setLocale(session.user.locale);
    setSession(session);
  }, [setLocale, setSession]);

  const signIn = useCallback<SessionValue['signIn']>(
    async ({ email, password }) => {
      await api('POST', '/api/auth/sign-in/email', { email, password });
      await afterSignIn();
    },
    [afterSignIn],
  );

  const signUp = useCallback<SessionValue['signUp']>(
    async ({ name, email, password }) => {
      // The browser's zone becomes the account's (emails are written in it); changeable in "Mon compte".
      await api('POST', '/api/auth/sign-up/email', { name, email, password, locale, timeZone: browserTimeZone() });
      await afterSignIn();
    },
    [afterSignIn, locale],
  );

  const signOut = useCallback(async () => {
    await api('POST', '/api/auth/sign-out');
    setSession(null);
  }, [setSession]);

  const session = state.status === 'ready' ? state.session : null;

  const changeLocale = useCallback(
    async (next: Locale) => {
      setLocale(next);
      if (!session || session.user.locale === next) return;
      const { user } = await api<{ user: User }>('PATCH', '/api/me', { locale: next });
      setSession({ ...session, user });
    },
    [session, setLocale, setSession],
  );

  const updateMe = useCallback(
    async (patch: { timeZone?: string }) => {
      if (!session) return;
      const { user } = await api<{ user: User }>('PATCH', '/api/me', patch);
      setSession({ ...session, user });
    },
    [session, setSession],
  );

  const markSignedOut = useCallback(() => setSession(null), [setSession]);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      session,
      config: state.status === 'ready' ? state.config : null,
      retry,
      signIn,
      signUp,
      signOut,
      changeLocale,
      updateMe,
      markSignedOut,
    }),
    [state, session, retry, signIn, signUp, signOut, changeLocale, updateMe, markSignedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
