import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/form-alert.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { BookSession } from './book-session.js';
import { CallDialog } from './call-dialog.js';
import { ReservationCard } from './reservation-card.js';
import type { Reservation } from './types.js';

/** "Mes sessions": upcoming and past sessions (coach or player), join in a dialog, and booking for members. */
export function SessionsPage() {
  const t = useT();
  const { session } = useSession();
  usePageTitle(t('sessions.title'));
  const upcoming = useApiResource<{ reservations: Reservation[] }>('/api/reservations?when=upcoming');
  const past = useApiResource<{ reservations: Reservation[] }>('/api/reservations?when=past');
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [calling, setCalling] = useState<Reservation | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The join button opens 15 minutes before the start: re-evaluate every 15 s.
  useEffect(() => {
    const timer = window.setInterval(() => setNowMs(Date.now()), 15_000);
    return () => window.clearInterval(timer);
  }, []);

  if (!session) return null;
  const role = session.user.role;
  const cancel = async (r: Reservation) => {
    if (!window.confirm(t('sessions.cancelConfirm'))) return;
    try {
      await api('POST', `/api/reservations/${r.id}/cancel`);
      upcoming.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const list = (resource: typeof upcoming.resource, empty: string) => {
    if (resource.status === 'loading') return <p role="status">{t('app.loading')}</p>;
    if (resource.status === 'error') return <FormAlert title={t('sessions.loadFailed')} message={resource.error.message} />;
    if (resource.data.reservations.length === 0) return <p className="text-slate-700">{empty}</p>;
    return (
      <ul className="flex flex-col gap-3">
        {resource.data.reservations.map((r) => (
          <ReservationCard key={r.id} reservation={r} nowMs={nowMs} onJoin={() => setCalling(r)} onCancel={() => void cancel(r)} onChanged={upcoming.reload} />
        ))}
      </ul>
    );
  };

  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-3xl font-bold text-slate-900">{t(role === 'coach' ? 'sessions.coachTitle' : 'sessions.title')}</h1>
        <p className="mt-1 text-lg text-slate-700">{t(role === 'coach' ? 'sessions.coachIntro' : role === 'admin' ? 'sessions.adminIntro' : 'sessions.intro')}</p>
        {role === 'coach' && (
          <Link to="/offers" className="mt-2 inline-block font-semibold text-indigo-800 underline underline-offset-4">
            {t('sessions.manageOffers')}
          </Link>
        )}
      </div>
      <FormAlert title={t('sessions.actionFailed')} message={error} />
      <section aria-labelledby="upcoming-title" className="flex flex-col gap-3">
        <h2 id="upcoming-title" className="text-xl font-semibold">{t('sessions.upcoming')}</h2>
        {list(upcoming.resource, t('sessions.noUpcoming'))}
      </section>
      {role === 'member' && <BookSession onBooked={upcoming.reload} />}
      <section aria-labelledby="past-title" className="flex flex-col gap-3">
        <h2 id="past-title" className="text-xl font-semibold">{t('sessions.past')}</h2>
        {list(past.resource, t('sessions.noPast'))}
      </section>
      {calling && <CallDialog reservation={calling} myName={session.user.name} onClose={() => setCalling(null)} />}
    </div>
  );
}
