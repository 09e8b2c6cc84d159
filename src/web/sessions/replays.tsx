import { useState } from 'react';
import { useApiResource } from '../api/use-api-resource.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatTime } from './format-slot.js';

interface Recording {
  id: string;
  source: 'daily' | 'builtin';
  createdAt: string;
}

/** A session's replays, for its coach and player. */
export function Replays({ reservationId }: { reservationId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
        {t('sessions.replays')}
      </button>
      {open && <ReplayList reservationId={reservationId} />}
    </div>
  );
}

function ReplayList({ reservationId }: { reservationId: string }) {
  const { t, locale } = useI18n();
  const list = useApiResource<{ recordings: Recording[] }>(`/api/reservations/${reservationId}/recordings`);
  if (list.resource.status !== 'ready') return <p role="status">{t('app.loading')}</p>;
  if (list.resource.data.recordings.length === 0) return <p className="text-sm text-slate-700">{t('sessions.noReplays')}</p>;
  return (
    <ul className="mt-2 flex flex-col gap-2">
      {list.resource.data.recordings.map((r) => (
        <li key={r.id} className="flex flex-col gap-1">
          <span className="text-sm text-slate-700">{formatTime(locale, r.createdAt)}</span>
          <video controls preload="metadata" src={`/api/recordings/${r.id}/media`} aria-label={t('sessions.replayOf', { time: formatTime(locale, r.createdAt) })} className="w-full max-w-xl rounded bg-slate-900" />
        </li>
      ))}
    </ul>
  );
}
