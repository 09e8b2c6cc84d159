import { useState } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { FormAlert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass, PageSection } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useAnnouncement, useAnnouncements, useBook } from './bookings-api.js';
import { formatPrice, formatSlot } from './format-slot.js';

/** Members pick a coach's offer, then one of its next free slots. */
export function BookSession() {
  const { t, locale } = useI18n();
  const offers = useAnnouncements();
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <PageSection id="book-title" title={t('sessions.book')}>
      <QueryState query={offers} errorTitle={t('sessions.loadFailed')}>
        {(announcements) =>
          announcements.length === 0 ? (
            <EmptyState>{t('sessions.noOffers')}</EmptyState>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2">
              {announcements.map((a) => (
                <li key={a.id} className={cardClass('flex flex-col gap-2')}>
                  <h3 className="font-semibold">{a.title}</h3>
                  <p className="text-sm text-slate-700">{t('sessions.offerMeta', { coach: a.coachName, minutes: a.durationMs / 60_000, price: formatPrice(locale, a.priceCents, a.currency), language: a.language.toUpperCase() })}</p>
                  {a.description && <p className="text-sm text-slate-700">{a.description}</p>}
                  <Button variant="secondary" size="sm" className="self-start" aria-expanded={selected === a.id} onClick={() => setSelected(selected === a.id ? null : a.id)}>
                    {t('sessions.seeSlots')}
                  </Button>
                  {selected === a.id && <Slots id={a.id} />}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </PageSection>
  );
}

function Slots({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const describe = useErrorText();
  const offer = useAnnouncement(id);
  const book = useBook();
  return (
    <QueryState query={offer} errorTitle={t('sessions.loadFailed')}>
      {(a) => (
        <div className="flex flex-col gap-2">
          <FormAlert title={t('sessions.bookFailed')} message={book.isError ? describe(book.error, { overrides: { CONFLICT: 'error.booking.CONFLICT' } }) : null} />
          {a.slots.length === 0 && <EmptyState className="text-sm">{t('sessions.noSlots')}</EmptyState>}
          <ul className="flex flex-col gap-1">
            {a.slots.map((s) => (
              <li key={s.startDate} className="flex items-center justify-between gap-2 text-sm">
                <span>{formatSlot(locale, s.startDate, s.endDate)}</span>
                <Button size="sm" disabled={book.isPending} onClick={() => book.mutate({ announcementId: a.id, coachId: a.coachId, startDate: s.startDate, endDate: s.endDate })}>
                  {t('sessions.bookSlot')}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </QueryState>
  );
}
