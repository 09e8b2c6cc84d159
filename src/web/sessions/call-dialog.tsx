import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { CallView } from './call-view.js';
import { DailyCall } from './daily-call.js';
import { PreJoin, type PreJoinChoice } from './pre-join.js';
import type { Reservation, VideoToken } from './types.js';

/** "Rejoindre la session": fetches a fresh token, then pre-join → call, in a modal dialog. */
export function CallDialog({ reservation, myName, onClose }: { reservation: Reservation; myName: string; onClose(): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState<VideoToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [joined, setJoined] = useState<PreJoinChoice | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    const controller = new AbortController();
    api<VideoToken>('GET', `/api/reservations/${reservation.id}/video-token`, undefined, controller.signal).then(setToken, (err: unknown) => {
      if (!controller.signal.aborted) setError(err instanceof ApiError ? err.message : String(err));
    });
    return () => controller.abort();
  }, [reservation.id]);

  const other = reservation.myRole === 'coach' ? reservation.playerName : reservation.coachName;
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="call-title" className="m-auto w-[min(960px,95vw)] rounded-xl p-0 backdrop:bg-slate-900/60">
      <div className="flex flex-col gap-4 p-5">
        <div className="flex items-start justify-between gap-4">
          <h2 id="call-title" className="text-xl font-bold">{t('call.title', { title: reservation.title, name: other })}</h2>
          <button type="button" onClick={() => dialog.current?.close()} aria-label={t('call.close')} className="rounded p-1 hover:bg-slate-100">
            <X aria-hidden="true" className="size-5" />
          </button>
        </div>
        {error && <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">{error}</p>}
        {!token && !error && <p role="status">{t('app.loading')}</p>}
        {token?.provider === 'daily' && <DailyCall token={token} onLeave={() => dialog.current?.close()} />}
        {token?.provider === 'builtin' && !joined && <PreJoin defaultName={myName} onJoin={setJoined} onCancel={() => dialog.current?.close()} />}
        {token?.provider === 'builtin' && joined && (
          <CallView reservationId={reservation.id} token={token} stream={joined.stream} name={joined.name} onLeave={() => dialog.current?.close()} />
        )}
      </div>
    </dialog>
  );
}
