import { useId, useState, type FormEvent } from 'react';
import type { Locale } from '../../shared/accounts.js';
import { asApiError } from '../api/client.js';
import { useErrorText } from '../api/use-error-text.js';
import { FormAlert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass } from '../components/card.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useSaveAnnouncement } from '../sessions/bookings-api.js';
import type { Announcement } from '../sessions/types.js';
import { fromCents, toCents } from './form-values.js';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD'];

interface Values {
  title: string;
  description: string;
  minutes: string;
  price: string;
  currency: string;
  language: Locale;
  discordUrl: string;
}

type Field = keyof Values;
/** The API's field names → the form's. */
const API_FIELDS: Record<string, Field> = { title: 'title', description: 'description', durationMs: 'minutes', priceCents: 'price', currency: 'currency', language: 'language', discordUrl: 'discordUrl' };

const initialOf = (offer: Announcement | null): Values =>
  offer
    ? { title: offer.title, description: offer.description, minutes: String(offer.durationMs / 60_000), price: fromCents(offer.priceCents), currency: offer.currency, language: offer.language === 'en' ? 'en' : 'fr', discordUrl: offer.discordUrl ?? '' }
    : { title: '', description: '', minutes: '60', price: '', currency: 'EUR', language: 'fr', discordUrl: '' };

/** Create or edit one of the coach's offers (POST / PATCH /api/announcements). */
export function OfferForm({ offer, onSaved, onCancel }: { offer: Announcement | null; onSaved(saved: Announcement): void; onCancel(): void }) {
  const { t } = useI18n();
  const describe = useErrorText();
  const headingId = useId();
  const [values, setValues] = useState<Values>(() => initialOf(offer));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveAnnouncement();
  const set = (field: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const labels: Record<string, string> = {
    title: t('offers.field.title'),
    description: t('offers.field.description'),
    durationMs: t('offers.field.duration'),
    priceCents: t('offers.field.price'),
    currency: t('offers.field.currency'),
    language: t('offers.field.language'),
    discordUrl: t('offers.field.discord'),
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const minutes = Number(values.minutes);
    const priceCents = toCents(values.price);
    const found: Partial<Record<Field, string>> = {};
    if (!values.title.trim()) found.title = t('form.required');
    if (!Number.isInteger(minutes) || minutes < 15 || minutes > 240) found.minutes = t('offers.invalidDuration');
    if (priceCents === null) found.price = t('offers.invalidPrice');
    setErrors(found);
    setFormError(Object.keys(found).length ? t('form.fixErrors') : null);
    if (Object.keys(found).length || priceCents === null) return;
    const body = {
      title: values.title.trim(),
      description: values.description.trim(),
      durationMs: minutes * 60_000,
      priceCents,
      currency: values.currency,
      language: values.language,
      discordUrl: values.discordUrl.trim() || null,
    };
    save.mutate(
      { announcementId: offer?.id ?? null, body },
      {
        onSuccess: ({ announcement }) => onSaved(announcement),
        onError: (err) => {
          // The fields the server refused, in the form's terms; the message says which one, in the user's language.
          const refused = asApiError(err).fieldErrors.map((f) => API_FIELDS[f.field.split('.')[0]!] ?? 'title');
          setErrors(Object.fromEntries(refused.map((f) => [f, t('error.field.invalid')])));
          setFormError(describe(err, { fieldLabels: labels }));
        },
      },
    );
  };

  return (
    <form noValidate onSubmit={submit} aria-labelledby={headingId} className={cardClass('flex flex-col gap-4 border-indigo-200')}>
      <h3 id={headingId} className="text-lg font-semibold">
        {offer ? t('offers.editTitle', { title: offer.title }) : t('offers.createTitle')}
      </h3>
      <FormAlert title={t('offers.failed')} message={formError} />
      <TextField label={labels.title} required maxLength={120} autoFocus value={values.title} onChange={set('title')} error={errors.title} />
      <TextAreaField label={labels.description} rows={3} maxLength={4000} value={values.description} onChange={set('description')} error={errors.description} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t('offers.field.duration')} type="number" inputMode="numeric" min={15} max={240} step={5} required value={values.minutes} onChange={set('minutes')} hint={t('offers.field.durationHint')} error={errors.minutes} />
        <TextField label={labels.priceCents} inputMode="decimal" required value={values.price} onChange={set('price')} hint={t('offers.field.priceHint')} error={errors.price} />
        <SelectField label={labels.currency} value={values.currency} onChange={set('currency')} error={errors.currency}>
          {[...new Set([...CURRENCIES, values.currency])].map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </SelectField>
        <SelectField label={labels.language} value={values.language} onChange={set('language')} error={errors.language}>
          <option value="fr">{t('language.fr')}</option>
          <option value="en">{t('language.en')}</option>
        </SelectField>
      </div>
      <TextField label={labels.discordUrl} type="url" inputMode="url" value={values.discordUrl} onChange={set('discordUrl')} hint={t('offers.field.discordHint')} error={errors.discordUrl} />
      <div className="flex flex-wrap gap-3">
        <Button type="submit" busy={save.isPending} busyLabel={t('offers.saving')}>{offer ? t('offers.save') : t('offers.create')}</Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('offers.cancel')}
        </Button>
      </div>
    </form>
  );
}
