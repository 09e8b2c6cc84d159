import { Mic } from 'lucide-react';
import type { VoiceUsageResponse } from '../../shared/api/voice.js';
import { creditsResetDate } from '../api/error-text.js';
import { cellClass, DataTable, rowClass } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { QueryState } from '../components/query-state.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatVoiceSeconds, useVoiceUsage, voiceMinutesLines } from './voice-usage.js';

/**
 * A member's voice minutes this month (GET /api/voice/usage): used of the plan's allowance, what
 * is left, when it comes back; with `showSessions`, this month's sessions. The account page shows
 * the member's own (no `userId`), the admin credits panel the chosen member's.
 */
export function VoiceMinutesPanel({ userId, showSessions = false }: { userId?: string; showSessions?: boolean }) {
  const { t } = useI18n();
  const usage = useVoiceUsage(userId);
  return (
    <QueryState query={usage} errorTitle={t('voice.minutes.loadFailed')}>
      {(data) => <VoiceMinutesView usage={data} showSessions={showSessions} />}
    </QueryState>
  );
}

export function VoiceMinutesView({ usage, showSessions }: { usage: VoiceUsageResponse; showSessions: boolean }) {
  const { t, locale } = useI18n();
  const lines = voiceMinutesLines(usage.minutes, t);
  return (
    <div className="flex flex-col gap-3" data-testid="voice-minutes">
      <p className="flex items-center gap-2 text-slate-800">
        <Mic aria-hidden="true" className="size-4" />
        <span>{lines.used}</span>
      </p>
      {lines.percentUsed !== null && (
        <div
          role="meter"
          aria-label={t('voice.minutes.title')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={lines.percentUsed}
          className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div className={lines.percentUsed >= 100 ? 'h-full bg-amber-600' : 'h-full bg-slate-800'} style={{ width: `${lines.percentUsed}%` }} />
        </div>
      )}
      <p className="font-semibold text-slate-900" role="status">
        {lines.remaining}
      </p>
      {usage.minutes.allowanceSeconds !== null && (
        <p className="text-sm text-slate-700">{t('voice.minutes.renewal', { plan: t(`plan.${usage.minutes.plan}`), date: formatDate(locale, creditsResetDate(undefined)) })}</p>
      )}
      {showSessions &&
        (usage.sessions.length === 0 ? (
          <EmptyState>{t('voice.minutes.noSessions')}</EmptyState>
        ) : (
          <DataTable minWidth="32rem" head={[t('voice.minutes.col.date'), t('voice.minutes.col.kind'), t('voice.minutes.col.duration'), t('voice.minutes.col.end')]}>
            {usage.sessions.map((s) => (
              <tr key={s.sessionId} className={rowClass}>
                <td className={cellClass}>{formatDate(locale, s.startedAt, 'dateTime')}</td>
                <td className={cellClass}>{t(`voice.kind.${s.kind}`)}</td>
                <td className="px-3 py-2 font-mono text-slate-900">{s.seconds === null ? '—' : formatVoiceSeconds(s.seconds, t)}</td>
                <td className={cellClass}>{s.endReason === null ? t('voice.minutes.running') : t(`voice.end.${s.endReason}`)}</td>
              </tr>
            ))}
          </DataTable>
        ))}
    </div>
  );
}
