import { Languages } from 'lucide-react';
import { useState } from 'react';
import type { Locale } from '../api/types.js';
import { useSession } from '../auth/use-session.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { LOCALES } from '../i18n/locales.js';

/**
 * FR / EN toggle. Remembered in this browser and, when signed in, on the account. Each button
 * names its language in that language (lang attribute), as users look for their own.
 */
export function LanguageSwitch() {
  const { locale, t } = useI18n();
  const { changeLocale } = useSession();
  const [saveFailed, setSaveFailed] = useState(false);

  const choose = (next: Locale) => {
    setSaveFailed(false);
    changeLocale(next).catch(() => setSaveFailed(true));
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <div role="group" aria-label={t('language.label')} className="flex items-center gap-1">
        <Languages aria-hidden="true" className="size-4 text-slate-600" />
        {LOCALES.map((l) => (
          <button
            key={l}
            type="button"
            lang={l}
            aria-pressed={l === locale}
            aria-label={`${t(`language.${l}`)} (${l.toUpperCase()})`}
            onClick={() => choose(l)}
            className={`rounded-md px-2 py-1 text-sm font-semibold ${
              l === locale ? 'bg-indigo-700 text-white' : 'text-slate-700 hover:bg-slate-200'
            }`}
          >
            {l.toUpperCase()}
          </button>
        ))}
      </div>
      <p aria-live="polite" className="text-xs text-red-700">
        {saveFailed ? t('language.saveFailed') : ''}
      </p>
    </div>
  );
}
