import { Building2, Settings, UserRound } from 'lucide-react';
import { Link } from 'react-router';
import { useSession } from '../auth/use-session.js';
import { useT } from '../i18n/i18n-provider.js';
import { LanguageSwitch } from './language-switch.js';
import { Logo } from './logo.js';
import { SignOutButton } from './sign-out-button.js';

/** Brand, who is signed in (name, role, organization), language and log out. */
export function AppHeader() {
  const t = useT();
  const { session } = useSession();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <Link to="/" aria-label={t('header.home')} className="flex items-center gap-2 rounded-md text-lg font-bold text-slate-900">
          <Logo />
          <span>{t('app.name')}</span>
        </Link>
        <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
          {session && (
            <div className="flex flex-col text-sm leading-tight">
              <p className="flex items-center gap-1.5">
                <UserRound aria-hidden="true" className="size-4 text-slate-600" />
                <span className="font-semibold text-slate-900">{session.user.name}</span>
                <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-800">
                  <span className="sr-only">{t('header.roleLabel')} </span>
                  {t(`role.${session.user.role}`)}
                </span>
              </p>
              <p className="flex items-center gap-1.5 text-slate-600">
                <Building2 aria-hidden="true" className="size-4" />
                <span className="sr-only">{t('header.organizationLabel')} </span>
                <span>{session.organization.name}</span>
              </p>
            </div>
          )}
          <LanguageSwitch />
          {session && (
            <Link to="/account" className="inline-flex items-center gap-1.5 rounded-lg px-2 py-1 text-sm font-semibold text-slate-800 underline-offset-4 hover:underline">
              <Settings aria-hidden="true" className="size-4" />
              {t('header.account')}
            </Link>
          )}
          {session && <SignOutButton />}
        </div>
      </div>
    </header>
  );
}
