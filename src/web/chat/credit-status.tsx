import { Coins, WifiOff } from 'lucide-react';
import type { Plan } from '../api/types.js';
import { creditsResetDate } from '../api/error-text.js';
import { asApiError } from '../api/client.js';
import { useSession } from '../auth/use-session.js';
import { Alert } from '../components/alert.js';
import { formatDate } from '../i18n/format.js';
import { useI18n, useT } from '../i18n/i18n-provider.js';

/** Credits left this month (null = unlimited), announced politely when it changes. */
export function CreditCounter({ remaining }: { remaining: number | null | undefined }) {
  const t = useT();
  if (remaining === undefined) return null;
  const label = remaining === null ? t('chat.creditsUnlimited') : remaining === 1 ? t('chat.creditsOne') : t('chat.credits', { count: remaining });
  return (
    <p role="status" data-testid="credit-counter" className="inline-flex items-center gap-2 rounded-full border border-slate-300 bg-white px-3 py-1 font-medium text-slate-800">
      <Coins aria-hidden="true" className="size-4" />
      {label}
    </p>
  );
}

/**
 * Shown on 402 NO_CREDITS (and when the month is used up): what happened, when the credits come
 * back (the 402's details, else the next month) and how to get more.
 */
export function UpgradePrompt({ plan, error }: { plan: Plan; error?: unknown }) {
  const { t, locale } = useI18n();
  const date = formatDate(locale, creditsResetDate(error ? asApiError(error).details : undefined));
  return (
    <div role="alert" className="m-3">
      <Alert tone="warning" title={<span className="text-lg">{t('chat.upgradeTitle')}</span>}>
        <p>{t('chat.upgradeBody', { plan: t(`plan.${plan}`), date })}</p>
        <p className="font-medium">{t('chat.upgradeAction')}</p>
      </Alert>
    </div>
  );
}

/** "Offline mode" badge with its hint, when /api/config says the rule engine answers. */
export function OfflineBadge() {
  const t = useT();
  const { config } = useSession();
  if (!config?.ai?.offline) return null;
  return (
    <div className="flex flex-col gap-1 rounded-lg border border-slate-300 bg-slate-100 p-3 text-sm text-slate-800">
      <span className="inline-flex w-fit items-center gap-1 rounded-full bg-slate-800 px-2 py-0.5 font-semibold text-white">
        <WifiOff aria-hidden="true" className="size-3.5" />
        {t('chat.offline')}
      </span>
      <p>{t('chat.offlineHint')}</p>
    </div>
  );
}
