import { useState } from 'react';
import { Button } from '../components/button.js';
import { EmptyState } from '../components/empty-state.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { bookingUrls, useRecordings } from './bookings-api.js';
import { formatTime } from './format-slot.js';

/** A session's replays, for its coach and player. */
export function Replays({ reservationId }: { reservationId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div>
      <Button variant="secondary" size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('sessions.replays')}
      </Button>
      {open && <ReplayList reservationId={reservationId} />}
    </div>
  );
}

function ReplayList({ reservationId }: { reservationId: string }) {
  const { t, locale } = useI18n();
  const recordings = useRecordings(reservationId);
  return (
    <QueryState query={recordings} errorTitle={t('sessions.loadFailed')}>
      {(list) =>
        list.length === 0 ? (
          <EmptyState className="mt-2 text-sm">{t('sessions.noReplays')}</EmptyState>
        ) : (
          <ul className="mt-2 flex flex-col gap-2">
            {list.map((r) => (
              <li key={r.id} className="flex flex-col gap-1">
                <span className="text-sm text-slate-700">{formatTime(locale, r.createdAt)}</span>
                <video controls preload="metadata" src={bookingUrls.recordingMedia(r.id)} aria-label={t('sessions.replayOf', { time: formatTime(locale, r.createdAt) })} className="w-full max-w-xl rounded bg-slate-900" />
              </li>
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}
