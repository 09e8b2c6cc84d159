import { useEffect, useState } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/alert.js';
import { ButtonLink } from '../components/button.js';
import { PageHeader, PageSection } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { QueryState } from '../components/query-state.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { BookSession } from './book-session.js';
import { useCancelReservation, useReservations } from './bookings-api.js';
import { CallDialog } from './call-dialog.js';
import { ReservationCard } from './reservation-card.js';
import type { Reservation } from './types.js';

/** "Mes sessions": upcoming and past sessions (coach or player), join in a dialog, and booking for members. */
export function SessionsPage() {
  const t = useT();
  const describe = useErrorText();
  const { session } = useSession();
  usePageTitle(t('sessions.title'));
  const upcoming = useReservations('upcoming');
  const past = useReservations('past');
  const cancel = useCancelReservation();
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [calling, setCalling] = useState<Reservation | null>(null);

  // The join button opens 15 minutes before the start: re-evaluate every 15 s.
  useEffect(() => {
    const timer = window.setInterval(() => setNowMs(Date.now()), 15_000);
    return () => window.clearInterval(timer);
  }, []);

  if (!session) return null;
  const role = session.user.role;
  const onCancel = (r: Reservation) => {
    if (window.confirm(t('sessions.cancelConfirm'))) cancel.mutate(r.id);
  };
  const list = (query: typeof upcoming, empty: string) => (
    <QueryState query={query} errorTitle={t('sessions.loadFailed')}>
      {(reservations) =>
        reservations.length === 0 ? (
          <EmptyState>{empty}</EmptyState>
        ) : (
          <ul className="flex flex-col gap-3">
            {reservations.map((r) => (
              <ReservationCard key={r.id} reservation={r} nowMs={nowMs} onJoin={() => setCalling(r)} onCancel={() => onCancel(r)} />
            ))}
          </ul>
        )
      }
    </QueryState>
  );

  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={t(role === 'coach' ? 'sessions.coachTitle' : 'sessions.title')} intro={t(role === 'coach' ? 'sessions.coachIntro' : role === 'admin' ? 'sessions.adminIntro' : 'sessions.intro')}>
        {role === 'coach' && (
          <ButtonLink to="/offers" variant="secondary">
            {t('sessions.manageOffers')}
          </ButtonLink>
        )}
      </PageHeader>
      <FormAlert title={t('sessions.actionFailed')} message={cancel.isError ? describe(cancel.error, { overrides: { CONFLICT: 'error.reservation.CONFLICT' } }) : null} />
      <PageSection id="upcoming-title" title={t('sessions.upcoming')}>
        {list(upcoming, t('sessions.noUpcoming'))}
      </PageSection>
      {role === 'member' && <BookSession />}
      <PageSection id="past-title" title={t('sessions.past')}>
        {list(past, t('sessions.noPast'))}
      </PageSection>
      {calling && <CallDialog reservation={calling} myName={session.user.name} onClose={() => setCalling(null)} />}
    </div>
  );
}
