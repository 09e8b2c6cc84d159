import { useId, useState, type FormEvent } from 'react';
import type { Locale } from '../../shared/accounts.js';
import { api, ApiError } from '../api/client.js';
import { FormAlert } from '../components/form-alert.js';
import { SubmitButton } from '../components/submit-button.js';
import { TextField } from '../components/text-field.js';
import { useI18n } from '../i18n/i18n-provider.js';
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
  const ids = { heading: useId(), description: useId(), currency: useId(), language: useId() };
  const [values, setValues] = useState<Values>(() => initialOf(offer));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = Number(values.minutes);
    const priceCents = toCents(values.price);
    const found: Partial<Record<Field, string>> = {};
    if (!values.title.trim()) found.title = t('form.required');
    if (!Number.isInteger(minutes) || minutes < 15 || minutes > 240) found.minutes = t('offers.invalidDuration');
    if (priceCents === null) found.price = t('offers.invalidPrice');
    setErrors(found);
    setFormError(Object.keys(found).length ? t('form.fixErrors') : null);
    if (Object.keys(found).length) return;
    const body = {
      title: values.title.trim(),
      description: values.description.trim(),
      durationMs: minutes * 60_000,
      priceCents,
      currency: values.currency,
      language: values.language,
      discordUrl: values.discordUrl.trim() || null,
    };
    setBusy(true);
    try {
      const { announcement } = offer
        ? await api<{ announcement: Announcement }>('PATCH', `/api/announcements/${offer.id}`, body)
        : await api<{ announcement: Announcement }>('POST', '/api/announcements', body);
      onSaved(announcement);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.fieldErrors.map((f) => [API_FIELDS[f.field.split('.')[0]!] ?? 'title', f.message])));
        setFormError(err.message);
      } else {
        setFormError(String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const select = 'rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900';
  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby={ids.heading} className="flex flex-col gap-4 rounded-xl border border-indigo-200 bg-white p-4">
      <h3 id={ids.heading} className="text-lg font-semibold">
        {offer ? t('offers.editTitle', { title: offer.title }) : t('offers.createTitle')}
      </h3>
      <FormAlert title={t('offers.failed')} message={formError} />
      <TextField label={t('offers.field.title')} required maxLength={120} autoFocus value={values.title} onChange={set('title')} error={errors.title} />
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.description} className="text-sm font-medium text-slate-800">{t('offers.field.description')}</label>
        <textarea id={ids.description} rows={3} maxLength={4000} value={values.description} onChange={set('description')} className="rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900" />
        {errors.description && <p className="text-sm font-medium text-red-700">{errors.description}</p>}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t('offers.field.duration')} type="number" inputMode="numeric" min={15} max={240} step={5} required value={values.minutes} onChange={set('minutes')} hint={t('offers.field.durationHint')} error={errors.minutes} />
        <TextField label={t('offers.field.price')} inputMode="decimal" required value={values.price} onChange={set('price')} hint={t('offers.field.priceHint')} error={errors.price} />
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.currency} className="text-sm font-medium text-slate-800">{t('offers.field.currency')}</label>
          <select id={ids.currency} value={values.currency} onChange={set('currency')} className={select}>
            {[...new Set([...CURRENCIES, values.currency])].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.language} className="text-sm font-medium text-slate-800">{t('offers.field.language')}</label>
          <select id={ids.language} value={values.language} onChange={set('language')} className={select}>
            <option value="fr">{t('language.fr')}</option>
            <option value="en">{t('language.en')}</option>
          </select>
        </div>
      </div>
      <TextField label={t('offers.field.discord')} type="url" inputMode="url" value={values.discordUrl} onChange={set('discordUrl')} hint={t('offers.field.discordHint')} error={errors.discordUrl} />
      <div className="flex flex-wrap gap-3">
        <SubmitButton busy={busy} busyLabel={t('offers.saving')}>{offer ? t('offers.save') : t('offers.create')}</SubmitButton>
        <button type="button" onClick={onCancel} className="rounded-lg border border-slate-400 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100">
          {t('offers.cancel')}
        </button>
      </div>
    </form>
  );
}
