import { Trash2 } from 'lucide-react';
import type { ApiKey } from '../api/types.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';

function statusOf(key: ApiKey): 'revoked' | 'expired' | 'active' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeyRow({ apiKey, busy, onRevoke }: { apiKey: ApiKey; busy: boolean; onRevoke(key: ApiKey): void }) {
  const { t, locale } = useI18n();
  const status = statusOf(apiKey);
  return (
    <tr className="border-t border-slate-200">
      <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">{apiKey.name}</th>
      <td className="px-3 py-2 font-mono text-sm text-slate-700">{apiKey.prefix}…</td>
      <td className="px-3 py-2 text-slate-700">{formatDate(locale, apiKey.createdAt)}</td>
      <td className="px-3 py-2 text-slate-700">{apiKey.lastUsedAt ? formatDate(locale, apiKey.lastUsedAt, 'dateTime') : t('admin.never')}</td>
      <td className="px-3 py-2">
        {status === 'active' && <span className="rounded-full bg-green-100 px-2 py-0.5 text-sm font-semibold text-green-900">{t('admin.active')}</span>}
        {status === 'expired' && <span className="rounded-full bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-900">{t('admin.expired')}</span>}
        {status === 'revoked' && apiKey.revokedAt && (
          <span className="text-sm text-slate-700">{t('admin.revoked', { date: formatDate(locale, apiKey.revokedAt) })}</span>
        )}
      </td>
      <td className="px-3 py-2">
        {status !== 'revoked' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => onRevoke(apiKey)}
            aria-label={`${t('admin.revoke')} ${apiKey.name}`}
            className="inline-flex items-center gap-1.5 rounded-lg border border-red-300 px-2.5 py-1 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:cursor-wait"
          >
            <Trash2 aria-hidden="true" className="size-4" />
            {t('admin.revoke')}
          </button>
        )}
      </td>
    </tr>
  );
}
