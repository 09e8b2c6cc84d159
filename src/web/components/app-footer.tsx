import { Activity, BookOpen, CloudOff } from 'lucide-react';
import { useSession } from '../auth/use-session.js';
import { useT } from '../i18n/i18n-provider.js';

export function AppFooter() {
  const t = useT();
  const { config } = useSession();
  const linkClass = 'inline-flex items-center gap-1.5 rounded-md text-slate-700 underline-offset-4 hover:text-slate-900 hover:underline';
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-4 text-sm text-slate-600 sm:px-6">
        <p>
          {t('app.name')} — {t('app.tagline')}
          {config && <> · {t('footer.version', { version: config.version })}</>}
        </p>
        {config?.ai.offline && (
          <details className="max-w-xl" data-testid="offline-mode">
            <summary className="inline-flex cursor-pointer items-center gap-1.5 rounded-full bg-amber-100 px-3 py-1 font-medium text-amber-900">
              <CloudOff aria-hidden="true" className="size-4" />
              {t('footer.offlineMode')}
            </summary>
            <p className="mt-2 text-slate-700">{t('footer.offlineHint')}</p>
          </details>
        )}
        <nav aria-label={t('footer.apiDocs')} className="flex gap-4">
          <a className={linkClass} href="/api/docs">
            <BookOpen aria-hidden="true" className="size-4" />
            {t('footer.apiDocs')}
          </a>
          <a className={linkClass} href="/api/health">
            <Activity aria-hidden="true" className="size-4" />
            {t('footer.health')}
          </a>
        </nav>
      </div>
    </footer>
  );
}
