import { Plus, Trash2 } from 'lucide-react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useErrorText } from '../api/use-error-text.js';
import { FormAlert, StatusText } from '../components/alert.js';
import { Button } from '../components/button.js';
import { cardClass } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { controlClass } from '../components/field.js';
import { QueryState } from '../components/query-state.js';
import { TimeZoneSelect } from '../components/time-zone-select.js';
import { useI18n } from '../i18n/i18n-provider.js';
import { useAvailability, useSaveAvailability } from '../sessions/bookings-api.js';
import type { AvailabilityWindow } from '../sessions/types.js';
import { fromMinute, toMinute, weekdayNames } from './form-values.js';

interface Row {
  key: number;
  weekday: number;
  start: string;
  end: string;
}

let nextKey = 0;
const rowOf = (w: Pick<AvailabilityWindow, 'weekday' | 'startMinute' | 'endMinute'>): Row => ({ key: nextKey++, weekday: w.weekday, start: fromMinute(w.startMinute), end: fromMinute(w.endMinute) });

/**
 * The coach's weekly availability (GET/PUT /api/coaches/:id/availability): rows of weekday,
 * start and end, all in one time zone (the saved one, else the coach's own).
 */
export function AvailabilityEditor({ coachId, defaultTimeZone }: { coachId: string; defaultTimeZone: string }) {
  const { t } = useI18n();
  const availability = useAvailability(coachId);
  return (
    <QueryState query={availability} errorTitle={t('offers.loadFailed')}>
      {(windows) => <AvailabilityForm coachId={coachId} initial={windows} defaultTimeZone={defaultTimeZone} />}
    </QueryState>
  );
}

function AvailabilityForm({ coachId, initial, defaultTimeZone }: { coachId: string; initial: AvailabilityWindow[]; defaultTimeZone: string }) {
  const { t, locale } = useI18n();
  const describe = useErrorText();
  const [rows, setRows] = useState<Row[]>(() => initial.map(rowOf));
  const [zone, setZone] = useState(initial[0]?.timeZone ?? defaultTimeZone);
  const [checkError, setCheckError] = useState<string | null>(null);
  const save = useSaveAvailability(coachId);
  const addButton = useRef<HTMLButtonElement>(null);
  const days = weekdayNames(locale);
  const hintId = useId();

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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const windows: AvailabilityWindow[] = [];
    for (const [i, r] of rows.entries()) {
      const startMinute = toMinute(r.start);
      const endMinute = toMinute(r.end, true);
      if (startMinute === null || endMinute === null || endMinute <= startMinute) return setCheckError(t('availability.endBeforeStart', { n: i + 1 }));
      windows.push({ weekday: r.weekday, startMinute, endMinute, timeZone: zone });
    }
    setCheckError(null);
    save.mutate(windows, { onSuccess: (saved) => setRows(saved.map(rowOf)) });
  };

  const error = checkError ?? (save.isError ? describe(save.error, { fieldLabels: { windows: t('availability.title'), timeZone: t('availability.timeZone') } }) : null);
  return (
    <form noValidate onSubmit={submit} className={cardClass('flex flex-col gap-4')}>
      <FormAlert title={t('availability.failed')} message={error} />
      <div className="max-w-md">
        <TimeZoneSelect label={t('availability.timeZone')} value={zone} onChange={setZone} />
      </div>
      {rows.length === 0 && <EmptyState>{t('availability.none')}</EmptyState>}
      <ul className="flex flex-col gap-3">
        {rows.map((r, i) => (
          <li key={r.key}>
            <fieldset className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 p-3">
              <legend className="px-1 text-sm font-semibold text-slate-800">{t('availability.window', { n: i + 1 })}</legend>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.weekday')}
                <select value={r.weekday} onChange={(e) => update(r.key, { weekday: Number(e.target.value) })} className={controlClass()}>
                  {days.map((name, d) => <option key={d} value={d}>{name}</option>)}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.start')}
                <input type="time" step={300} required value={r.start} onChange={(e) => update(r.key, { start: e.target.value })} className={controlClass()} />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
                {t('availability.end')}
                <input type="time" step={300} required value={r.end} aria-describedby={hintId} onChange={(e) => update(r.key, { end: e.target.value })} className={controlClass()} />
              </label>
              <Button variant="secondary" onClick={() => remove(r.key)} aria-label={t('availability.remove', { n: i + 1 })} icon={<Trash2 aria-hidden="true" className="size-4" />} />
            </fieldset>
          </li>
        ))}
      </ul>
      <p id={hintId} className="text-sm text-slate-600">{t('availability.midnightHint')}</p>
      <div className="flex flex-wrap gap-3">
        <Button ref={addButton} variant="secondary" onClick={add} icon={<Plus aria-hidden="true" className="size-4" />}>
          {t('availability.add')}
        </Button>
        <Button type="submit" busy={save.isPending} busyLabel={t('availability.saving')}>{t('availability.save')}</Button>
      </div>
      <StatusText>{save.isSuccess ? t('availability.saved') : null}</StatusText>
    </form>
  );
}
