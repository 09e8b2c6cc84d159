import { Trash2 } from 'lucide-react';
import type { ApiKey } from '../api/types.js';
import { Badge } from '../components/badge.js';
import { Button } from '../components/button.js';
import { cellClass, rowClass } from '../components/data-table.js';
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
    <tr className={rowClass}>
      <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">{apiKey.name}</th>
      <td className={`${cellClass} font-mono text-sm`}>{apiKey.prefix}…</td>
      <td className={cellClass}>{apiKey.scopes.map((s) => t(`admin.scopeShort.${s}`)).join(', ')}</td>
      <td className={cellClass}>{formatDate(locale, apiKey.createdAt)}</td>
      <td className={cellClass}>{apiKey.lastUsedAt ? formatDate(locale, apiKey.lastUsedAt, 'dateTime') : t('admin.never')}</td>
      <td className="px-3 py-2">
        {status === 'active' && <Badge tone="success">{t('admin.active')}</Badge>}
        {status === 'expired' && <Badge tone="warning">{t('admin.expired')}</Badge>}
        {status === 'revoked' && apiKey.revokedAt && <span className="text-sm text-slate-700">{t('admin.revoked', { date: formatDate(locale, apiKey.revokedAt) })}</span>}
      </td>
      <td className="px-3 py-2">
        {status !== 'revoked' && (
          <Button variant="dangerOutline" size="sm" disabled={busy} onClick={() => onRevoke(apiKey)} aria-label={`${t('admin.revoke')} ${apiKey.name}`} icon={<Trash2 aria-hidden="true" className="size-4" />}>
            {t('admin.revoke')}
          </Button>
        )}
      </td>
    </tr>
  );
}
