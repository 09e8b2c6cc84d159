import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/form-alert.js';
import { SubmitButton } from '../components/submit-button.js';
import { TimeZoneSelect } from '../components/time-zone-select.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { browserTimeZone } from '../i18n/time-zone.js';

/** "Mon compte": the account's time zone (for emails); the language is the header's switch. */
export function AccountPage() {
  const t = useT();
  const { session, updateMe } = useSession();
  usePageTitle(t('account.title'));
  const [zone, setZone] = useState(session?.user.timeZone ?? browserTimeZone());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!session) return null;
  const browserZone = browserTimeZone();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await updateMe({ timeZone: zone });
      setNotice(t('account.saved'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <div>
        <h1 className="text-3xl font-bold text-slate-900">{t('account.title')}</h1>
        <p className="mt-1 text-lg text-slate-700">{t('account.intro')}</p>
      </div>
      <form noValidate onSubmit={(e) => void save(e)} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4">
        <FormAlert title={t('account.saveFailed')} message={error} />
        <TimeZoneSelect label={t('account.timeZone')} value={zone} onChange={setZone} hint={t('account.timeZoneHint', { zone: browserZone })} />
        {zone !== browserZone && (
          <button type="button" onClick={() => setZone(browserZone)} className="self-start rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
            {t('account.useBrowserZone', { zone: browserZone })}
          </button>
        )}
        <div>
          <SubmitButton busy={busy} busyLabel={t('account.saving')}>{t('account.save')}</SubmitButton>
        </div>
        <p role="status" className="text-green-800">{notice}</p>
      </form>
    </div>
  );
}
