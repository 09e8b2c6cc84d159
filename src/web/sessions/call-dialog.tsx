import { useState } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { Alert } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { Loading } from '../components/loading.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useVideoToken } from './bookings-api.js';
import { CallView } from './call-view.js';
import { DailyCall } from './daily-call.js';
import { PreJoin, type PreJoinChoice } from './pre-join.js';
import type { Reservation } from './types.js';

/** "Rejoindre la session": fetches a fresh token, then pre-join → call, in a modal dialog. */
export function CallDialog({ reservation, myName, onClose }: { reservation: Reservation; myName: string; onClose(): void }) {
  const { t } = useI18n();
  const describe = useErrorText();
  const token = useVideoToken(reservation.id);
  const [joined, setJoined] = useState<PreJoinChoice | null>(null);
  const other = reservation.myRole === 'coach' ? reservation.playerName : reservation.coachName;
  return (
    <Dialog title={t('call.title', { title: reservation.title, name: other })} closeLabel={t('call.close')} onClose={onClose}>
      {(close) => (
        <>
          {token.isError && (
            <div role="alert">
              <Alert>{describe(token.error, { overrides: { CONFLICT: 'error.call.CONFLICT' } })}</Alert>
            </div>
          )}
          {token.isPending && <Loading />}
          {token.data?.provider === 'daily' && <DailyCall token={token.data} onLeave={close} />}
          {token.data?.provider === 'builtin' && !joined && <PreJoin defaultName={myName} onJoin={setJoined} onCancel={close} />}
          {token.data?.provider === 'builtin' && joined && <CallView reservationId={reservation.id} token={token.data} stream={joined.stream} name={joined.name} onLeave={close} />}
        </>
      )}
    </Dialog>
  );
}
