import { Plus, Trash2 } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import { FormAlert } from '../components/form-alert.js';
import { SubmitButton } from '../components/submit-button.js';
import { TimeZoneSelect } from '../components/time-zone-select.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { fromMinute, toMinute, weekdayNames } from './form-values.js';

interface Window {
  weekday: number;
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

interface Row {
  key: number;
  weekday: number;
  start: string;
  end: string;
}

let nextKey = 0;
const rowOf = (w: Pick<Window, 'weekday' | 'startMinute' | 'endMinute'>): Row => ({ key: nextKey++, weekday: w.weekday, start: fromMinute(w.startMinute), end: fromMinute(w.endMinute) });

/**
 * The coach's weekly availability (GET/PUT /api/coaches/:id/availability): rows of weekday,
 * start and end, all in one time zone (the saved one, else the coach's own).
 */
export function AvailabilityEditor({ coachId, defaultTimeZone }: { coachId: string; defaultTimeZone: string }) {
  const { t, locale } = useI18n();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [zone, setZone] = useState(defaultTimeZone);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const days = weekdayNames(locale);
  const hintId = useId();

  useEffect(() => {
    const controller = new AbortController();
    api<{ windows: Window[] }>('GET', `/api/coaches/${coachId}/availability`, undefined, controller.signal).then(
      ({ windows }) => {
        setRows(windows.map(rowOf));
        if (windows[0]) setZone(windows[0].timeZone);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => controller.abort();
  }, [coachId]);

  if (!rows) return error ? <FormAlert title={t('offers.loadFailed')} message={error} /> : <p role="status">{t('app.loading')}</p>;

  const update = (key: number, patch: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => {
    setRows(rows.filter((r) => r.key !== key));
    // The removed row's button is gone: keep the keyboard user in the editor.
    addButton.current?.focus();
  };
  const add = () => {
    const last = rows.at(-1);
    setRows([...rows, rowOf({ weekday: last ? (last.weekday + 1) % 7 : 1, startMinute: 9 * 60, endMinute: 12 * 60 })]);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const windows: Window[] = [];
    for (const [i, r] of rows.entries()) {
      const startMinute = toMinute(r.start);
      const endMinute = toMinute(r.end, true);
      if (startMinute === null || endMinute === null || endMinute <= startMinute) return setError(t('availability.endBeforeStart', { n: i + 1 }));
      windows.push({ weekday: r.weekday, startMinute, endMinute, timeZone: zone });
    }
    setError(null);
    setBusy(true);
    try {
      const saved = await api<{ windows: Window[] }>('PUT', `/api/coaches/${coachId}/availability`, { windows });
      setRows(saved.windows.map(rowOf));
      setNotice(t('availability.saved'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const input = 'rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900';
  return (
    <form noValidate onSubmit={(e) => void save(e)} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4">
      <FormAlert title={t('availability.failed')} message={error} />
      <div className="max-w-md">
        <TimeZoneSelect label={t('availability.timeZone')} value={zone} onChange={setZone} />
      </div>
      {rows.length === 0 && <p className="text-slate-700">{t('availability.none')}</p>}
      <ul className="flex flex-col gap-3">
        {rows.map((r, i) => (
          <li key={r.key}>
            <fieldset className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 p-3">
              <legend className="px-1 text-sm font-semibold text-slate-800">{t('availability.window', { n: i + 1 })}</legend>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.weekday')}
                <select value={r.weekday} onChange={(e) => update(r.key, { weekday: Number(e.target.value) })} className={input}>
                  {days.map((name, d) => <option key={d} value={d}>{name}</option>)}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.start')}
                <input type="time" step={300} required value={r.start} onChange={(e) => update(r.key, { start: e.target.value })} className={input} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.end')}
                <input type="time" step={300} required value={r.end} aria-describedby={hintId} onChange={(e) => update(r.key, { end: e.target.value })} className={input} />
              </label>
              <button type="button" onClick={() => remove(r.key)} aria-label={t('availability.remove', { n: i + 1 })} className="inline-flex items-center gap-1 rounded-lg border border-slate-400 px-3 py-2 font-semibold text-slate-800 hover:bg-slate-100">
                <Trash2 aria-hidden="true" className="size-4" />
              </button>
            </fieldset>
          </li>
        ))}
      </ul>
      <p id={hintId} className="text-sm text-slate-600">{t('availability.midnightHint')}</p>
      <div className="flex flex-wrap gap-3">
        <button ref={addButton} type="button" onClick={add} className="inline-flex items-center gap-2 rounded-lg border border-slate-400 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100">
          <Plus aria-hidden="true" className="size-4" /> {t('availability.add')}
        </button>
        <SubmitButton busy={busy} busyLabel={t('availability.saving')}>{t('availability.save')}</SubmitButton>
      </div>
      <p role="status" className="text-green-800">{notice}</p>
    </form>
  );
}
