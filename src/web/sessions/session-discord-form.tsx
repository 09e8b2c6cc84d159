import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n-provider.js';
import type { Reservation } from './types.js';

/** The coach sets this session's own Discord link (PATCH /api/reservations/:id), or goes back to the offer's. */
export function SessionDiscordForm({ reservation, onSaved }: { reservation: Reservation; onSaved(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(reservation.sessionDiscordUrl ?? '');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { panel: useId(), field: useId(), hint: useId(), error: useId() };

  const save = async (discordUrl: string | null) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api('PATCH', `/api/reservations/${reservation.id}`, { discordUrl });
      if (discordUrl === null) setValue('');
      setNotice(t('sessions.discordSaved'));
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(value.trim() || null);
  };

  return (
    <div>
      <button type="button" aria-expanded={open} aria-controls={ids.panel} onClick={() => setOpen(!open)} className="rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
        {t('sessions.discordEdit')}
      </button>
      <div id={ids.panel} hidden={!open}>
        <form noValidate onSubmit={submit} className="mt-2 flex flex-col gap-2">
          <label htmlFor={ids.field} className="text-sm font-medium text-slate-800">{t('sessions.discordField', { title: reservation.title })}</label>
          <input
            id={ids.field}
            type="url"
            inputMode="url"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="https://discord.gg/…"
            aria-invalid={error ? true : undefined}
            aria-describedby={[ids.hint, error ? ids.error : null].filter(Boolean).join(' ')}
            className={`max-w-xl rounded-lg border bg-white px-3 py-2 text-base text-slate-900 ${error ? 'border-red-700' : 'border-slate-400'}`}
          />
          <p id={ids.hint} className="text-sm text-slate-600">{t('sessions.discordHint')}</p>
          {error && <p id={ids.error} role="alert" className="text-sm font-medium text-red-700">{t('sessions.discordFailed', { message: error })}</p>}
          <div className="flex flex-wrap gap-3">
            <button type="submit" disabled={busy} className="rounded-lg bg-indigo-700 px-3 py-1.5 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60">{t('sessions.discordSave')}</button>
            {reservation.sessionDiscordUrl && (
              <button type="button" disabled={busy} onClick={() => void save(null)} className="rounded-lg border border-slate-400 px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-100">
                {t('sessions.discordRemove')}
              </button>
            )}
          </div>
          <p role="status" className="text-sm text-green-800">{notice}</p>
        </form>
      </div>
    </div>
  );
}
