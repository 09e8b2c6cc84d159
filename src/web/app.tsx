import { LoaderCircle } from 'lucide-react';
import { Route, Routes } from 'react-router';
import { RedirectIfSignedIn, RequireAuth } from './auth/route-guards.js';
import { useSession } from './auth/use-session.js';
import { Layout } from './components/layout.js';
import { Logo } from './components/logo.js';
import { useT } from './i18n/i18n-provider.js';
import { ChatPage } from './chat/chat-page.js';
import { AccountPage } from './pages/account-page.js';
import { AdminPage } from './pages/admin-page.js';
import { OffersPage } from './offers/offers-page.js';
import { HomePage } from './pages/home-page.js';
import { LoginPage } from './pages/login-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { SignupPage } from './pages/signup-page.js';
import { SessionsPage } from './sessions/sessions-page.js';
import { VoicePage } from './pages/voice-page.js';

/**
 * The routes. Feature pages are added inside <RequireAuth> (with `roles` when restricted),
 * and their area in home/areas.ts gets the path.
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
          <button type="button" onClick={retry} className="rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
            {t('app.retry')}
          </button>
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
