import { useState } from 'react';
import { api, ApiError } from '../api/client.js';
import { useApiResource } from '../api/use-api-resource.js';
import { FormAlert } from '../components/form-alert.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatPrice, formatSlot } from './format-slot.js';
import type { Announcement, AnnouncementWithSlots } from './types.js';

/** Members pick a coach's offer, then one of its next free slots. */
export function BookSession({ onBooked }: { onBooked(): void }) {
  const { t, locale } = useI18n();
  const offers = useApiResource<{ announcements: Announcement[] }>('/api/announcements');
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <section aria-labelledby="book-title" className="flex flex-col gap-3">
      <h2 id="book-title" className="text-xl font-semibold">{t('sessions.book')}</h2>
      {offers.resource.status === 'error' && <FormAlert title={t('sessions.loadFailed')} message={offers.resource.error.message} />}
      {offers.resource.status === 'ready' && offers.resource.data.announcements.length === 0 && <p className="text-slate-700">{t('sessions.noOffers')}</p>}
      {offers.resource.status === 'ready' && (
        <ul className="grid gap-3 sm:grid-cols-2">
          {offers.resource.data.announcements.map((a) => (
            <li key={a.id} className="flex flex-col gap-2 rounded-lg border border-slate-300 bg-white p-4">
              <h3 className="font-semibold">{a.title}</h3>
              <p className="text-sm text-slate-700">{t('sessions.offerMeta', { coach: a.coachName, minutes: a.durationMs / 60_000, price: formatPrice(locale, a.priceCents, a.currency), language: a.language.toUpperCase() })}</p>
              {a.description && <p className="text-sm text-slate-700">{a.description}</p>}
              <button type="button" aria-expanded={selected === a.id} onClick={() => setSelected(selected === a.id ? null : a.id)} className="self-start rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
                {t('sessions.seeSlots')}
              </button>
              {selected === a.id && <Slots id={a.id} onBooked={onBooked} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Slots({ id, onBooked }: { id: string; onBooked(): void }) {
  const { t, locale } = useI18n();
  const offer = useApiResource<{ announcement: AnnouncementWithSlots }>(`/api/announcements/${id}`);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (offer.resource.status !== 'ready') return <p role="status">{t('app.loading')}</p>;
  const a = offer.resource.data.announcement;
  const book = async (slot: { startDate: string; endDate: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/reservations', { announcementId: a.id, coachId: a.coachId, ...slot });
      onBooked();
      offer.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <FormAlert title={t('sessions.bookFailed')} message={error} />
      {a.slots.length === 0 && <p className="text-sm text-slate-700">{t('sessions.noSlots')}</p>}
      <ul className="flex flex-col gap-1">
        {a.slots.map((s) => (
          <li key={s.startDate} className="flex items-center justify-between gap-2 text-sm">
            <span>{formatSlot(locale, s.startDate, s.endDate)}</span>
            <button type="button" disabled={busy} onClick={() => void book(s)} className="rounded bg-indigo-700 px-2 py-1 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60">
              {t('sessions.bookSlot')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
