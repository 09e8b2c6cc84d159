import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../api/types.js';
import { NotFoundPage } from '../not-found/not-found-page.js';
import { useSession } from './use-session.js';

/** Where the login page sends the user back to after signing in. */
export interface LoginState {
  from?: string;
}

/** Signed-out visitors go to /login (and come back after); wrong roles see a 404. */
export function RequireAuth({ roles }: { roles?: Role[] }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  if (roles && !roles.includes(session.user.role)) return <NotFoundPage />;
  return <Outlet />;
}

/** /login and /signup are pointless once signed in. */
export function RedirectIfSignedIn() {
  const { session } = useSession();
  const location = useLocation();
  if (session) {
    const from = (location.state as LoginState | null)?.from;
    return <Navigate to={from && from.startsWith('/') && !from.startsWith('//') ? from : '/'} replace />;
  }
  return <Outlet />;
}
