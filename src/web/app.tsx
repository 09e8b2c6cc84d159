import { LoaderCircle } from 'lucide-react';
import { lazy, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { RedirectIfSignedIn, RequireAuth } from './auth/route-guards.js';
import { useSession } from './auth/use-session.js';
import { Button } from './components/button.js';
import { Layout } from './components/layout.js';
import { Logo } from './components/logo.js';
import { useT } from './i18n/i18n-provider.js';
import { NotFoundPage } from './not-found/not-found-page.js';

/** A page loaded on demand: each route is its own chunk, fetched the first time it is opened. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const LoginPage = page(() => import('./auth/login-page.js'), 'LoginPage');
const SignupPage = page(() => import('./auth/signup-page.js'), 'SignupPage');
const HomePage = page(() => import('./home/home-page.js'), 'HomePage');
const ChatPage = page(() => import('./chat/chat-page.js'), 'ChatPage');
const SessionsPage = page(() => import('./sessions/sessions-page.js'), 'SessionsPage');
const VoicePage = page(() => import('./voice/voice-page.js'), 'VoicePage');
const AccountPage = page(() => import('./account/account-page.js'), 'AccountPage');
const OffersPage = page(() => import('./offers/offers-page.js'), 'OffersPage');
const AdminPage = page(() => import('./admin/admin-page.js'), 'AdminPage');

/**
 * The routes. Every page lives in its feature's folder as `<feature>/<name>-page.tsx` and is
 * lazy-loaded here; feature pages go inside <RequireAuth> (with `roles` when restricted), and
 * their area in home/areas.ts gets the path.
 */
export function App() {
  const { state } = useSession();
  if (state.status !== 'ready') return <Startup />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route element={<RedirectIfSignedIn />}>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/signup" element={<SignupPage />} />
        </Route>
        <Route element={<RequireAuth />}>
          <Route index element={<HomePage />} />
          <Route path="/chat" element={<ChatPage />} />
          <Route path="/sessions" element={<SessionsPage />} />
          <Route path="/voice" element={<VoicePage />} />
          <Route path="/account" element={<AccountPage />} />
        </Route>
        <Route element={<RequireAuth roles={['coach']} />}>
          <Route path="/offers" element={<OffersPage />} />
        </Route>
        <Route element={<RequireAuth roles={['admin']} />}>
          <Route path="/admin" element={<AdminPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** While the session loads, or when the server cannot be reached. */
function Startup() {
  const t = useT();
  const { state, retry } = useSession();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <Logo className="size-12" />
      {state.status === 'error' ? (
        <div role="alert" className="flex max-w-md flex-col items-center gap-3">
          <p className="text-lg text-slate-800">{t('app.loadFailed')}</p>
          <Button onClick={retry}>{t('app.retry')}</Button>
        </div>
      ) : (
        <p role="status" className="flex items-center gap-2 text-slate-700">
          <LoaderCircle aria-hidden="true" className="size-5 animate-spin" />
          {t('app.loading')}
        </p>
      )}
    </main>
  );
}
