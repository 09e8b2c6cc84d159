import { Plus } from 'lucide-react';
import { useRef, useState } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert, StatusText } from '../components/alert.js';
import { Badge } from '../components/badge.js';
import { Button, ButtonLink } from '../components/button.js';
import { cardClass, PageHeader, PageSection } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { QueryState } from '../components/query-state.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useAnnouncements, useSaveAnnouncement } from '../sessions/bookings-api.js';
import { formatPrice } from '../sessions/format-slot.js';
import type { Announcement } from '../sessions/types.js';
import { AvailabilityEditor } from './availability-editor.js';
import { OfferForm } from './offer-form.js';

/** The coach's own offers (create, edit, deactivate) and weekly availability. */
export function OffersPage() {
  const { t, locale } = useI18n();
  const describe = useErrorText();
  const { session } = useSession();
  usePageTitle(t('offers.title'));
  const coachId = session?.user.id ?? '';
  const offers = useAnnouncements(coachId);
  const toggle = useSaveAnnouncement();
  const [editing, setEditing] = useState<Announcement | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  if (!session) return null;

  const closeForm = () => {
    setEditing(null);
    newButton.current?.focus();
  };
  const saved = (offer: Announcement, created: boolean) => {
    setNotice(t(created ? 'offers.created' : 'offers.saved', { title: offer.title }));
    closeForm();
  };
  const setActive = (offer: Announcement, active: boolean) => {
    setNotice(null);
    toggle.mutate({ announcementId: offer.id, body: { active } });
  };

  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={t('offers.title')} intro={t('offers.intro')}>
        <ButtonLink to="/sessions" variant="secondary">
          {t('sessions.coachTitle')}
        </ButtonLink>
      </PageHeader>

      <section aria-labelledby="offers-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="offers-title" className="text-xl font-semibold">{t('offers.list')}</h2>
          <Button ref={newButton} onClick={() => setEditing('new')} disabled={editing === 'new'} icon={<Plus aria-hidden="true" className="size-4" />}>
            {t('offers.new')}
          </Button>
        </div>
        <FormAlert title={t('offers.failed')} message={toggle.isError ? describe(toggle.error) : null} />
        <StatusText>{notice}</StatusText>
        {editing === 'new' && <OfferForm offer={null} onSaved={(o) => saved(o, true)} onCancel={closeForm} />}
        <QueryState query={offers} errorTitle={t('offers.loadFailed')}>
          {(announcements) =>
            announcements.length === 0 ? (
              editing !== 'new' && <EmptyState>{t('offers.none')}</EmptyState>
            ) : (
              <ul className="flex flex-col gap-3">
                {announcements.map((a) =>
                  editing !== 'new' && editing?.id === a.id ? (
                    <li key={a.id}>
                      <OfferForm offer={a} onSaved={(o) => saved(o, false)} onCancel={closeForm} />
                    </li>
                  ) : (
                    <li key={a.id} aria-label={a.title} className={cardClass('flex flex-col gap-2')}>
                      <div className="flex flex-wrap items-baseline justify-between gap-2">
                        <h3 className="text-lg font-semibold text-slate-900">{a.title}</h3>
                        <Badge tone={a.active ? 'success' : 'neutral'}>{a.active ? t('offers.active') : t('offers.inactive')}</Badge>
                      </div>
                      <p className="text-slate-700">{t('offers.meta', { minutes: a.durationMs / 60_000, price: formatPrice(locale, a.priceCents, a.currency), language: a.language.toUpperCase() })}</p>
                      {a.description && <p className="text-slate-700">{a.description}</p>}
                      <div className="flex flex-wrap gap-3">
                        <Button variant="secondary" size="sm" onClick={() => setEditing(a)} aria-label={t('offers.editOf', { title: a.title })}>
                          {t('offers.edit')}
                        </Button>
                        <Button variant="secondary" size="sm" disabled={toggle.isPending} onClick={() => setActive(a, !a.active)} aria-label={t(a.active ? 'offers.deactivateOf' : 'offers.activateOf', { title: a.title })}>
                          {a.active ? t('offers.deactivate') : t('offers.activate')}
                        </Button>
                      </div>
                    </li>
                  ),
                )}
              </ul>
            )
          }
        </QueryState>
      </section>

      <PageSection id="availability-title" title={t('availability.title')}>
        <p className="text-slate-700">{t('availability.intro')}</p>
        <AvailabilityEditor coachId={coachId} defaultTimeZone={session.user.timeZone} />
      </PageSection>
    </div>
  );
}
