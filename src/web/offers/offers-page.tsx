import { Plus } from 'lucide-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/form-alert.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { formatPrice } from '../sessions/format-slot.js';
import type { Announcement } from '../sessions/types.js';
import { AvailabilityEditor } from './availability-editor.js';
import { OfferForm } from './offer-form.js';

/** The coach's own offers (create, edit, deactivate) and weekly availability. */
export function OffersPage() {
  const { t, locale } = useI18n();
  const { session } = useSession();
  usePageTitle(t('offers.title'));
  const coachId = session?.user.id ?? '';
  const offers = useApiResource<{ announcements: Announcement[] }>(`/api/announcements?coachId=${encodeURIComponent(coachId)}`);
  const [editing, setEditing] = useState<Announcement | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  if (!session) return null;

  const closeForm = () => {
    setEditing(null);
    newButton.current?.focus();
  };
  const saved = (offer: Announcement, created: boolean) => {
    setNotice(t(created ? 'offers.created' : 'offers.saved', { title: offer.title }));
    offers.reload();
    closeForm();
  };
  const setActive = async (offer: Announcement, active: boolean) => {
    setError(null);
    setNotice(null);
    try {
      await api('PATCH', `/api/announcements/${offer.id}`, { active });
      offers.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold text-slate-900">{t('offers.title')}</h1>
          <p className="mt-1 text-lg text-slate-700">{t('offers.intro')}</p>
        </div>
        <Link to="/sessions" className="font-semibold text-indigo-800 underline underline-offset-4">{t('sessions.coachTitle')}</Link>
      </div>

      <section aria-labelledby="offers-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="offers-title" className="text-xl font-semibold">{t('offers.list')}</h2>
          <button ref={newButton} type="button" onClick={() => setEditing('new')} disabled={editing === 'new'} className="inline-flex items-center gap-2 rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60">
            <Plus aria-hidden="true" className="size-4" /> {t('offers.new')}
          </button>
        </div>
        <FormAlert title={t('offers.failed')} message={error} />
        <p role="status" className="text-green-800">{notice}</p>
        {editing === 'new' && <OfferForm offer={null} onSaved={(o) => saved(o, true)} onCancel={closeForm} />}
        {offers.resource.status === 'loading' && <p role="status">{t('app.loading')}</p>}
        {offers.resource.status === 'error' && <FormAlert title={t('offers.loadFailed')} message={offers.resource.error.message} />}
        {offers.resource.status === 'ready' && offers.resource.data.announcements.length === 0 && editing !== 'new' && <p className="text-slate-700">{t('offers.none')}</p>}
        {offers.resource.status === 'ready' && (
          <ul className="flex flex-col gap-3">
            {offers.resource.data.announcements.map((a) =>
              editing !== 'new' && editing?.id === a.id ? (
                <li key={a.id}>
                  <OfferForm offer={a} onSaved={(o) => saved(o, false)} onCancel={closeForm} />
                </li>
              ) : (
                <li key={a.id} aria-label={a.title} className="flex flex-col gap-2 rounded-lg border border-slate-300 bg-white p-4">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h3 className="text-lg font-semibold text-slate-900">{a.title}</h3>
                    <span className={`rounded px-2 py-0.5 text-sm ${a.active ? 'bg-green-100 text-green-900' : 'bg-slate-200 text-slate-800'}`}>{a.active ? t('offers.active') : t('offers.inactive')}</span>
                  </div>
                  <p className="text-slate-700">{t('offers.meta', { minutes: a.durationMs / 60_000, price: formatPrice(locale, a.priceCents, a.currency), language: a.language.toUpperCase() })}</p>
                  {a.description && <p className="text-slate-700">{a.description}</p>}
                  <div className="flex flex-wrap gap-3">
                    <button type="button" onClick={() => setEditing(a)} aria-label={t('offers.editOf', { title: a.title })} className="rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
                      {t('offers.edit')}
                    </button>
                    <button type="button" onClick={() => void setActive(a, !a.active)} aria-label={t(a.active ? 'offers.deactivateOf' : 'offers.activateOf', { title: a.title })} className="rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
                      {a.active ? t('offers.deactivate') : t('offers.activate')}
                    </button>
                  </div>
                </li>
              ),
            )}
          </ul>
        )}
      </section>

      <section aria-labelledby="availability-title" className="flex flex-col gap-3">
        <h2 id="availability-title" className="text-xl font-semibold">{t('availability.title')}</h2>
        <p className="text-slate-700">{t('availability.intro')}</p>
        <AvailabilityEditor coachId={coachId} defaultTimeZone={session.user.timeZone} />
      </section>
    </div>
  );
}
