import { useId, useMemo } from 'react';
import { timeZoneOptions } from '../i18n/time-zone.js';

/** A labelled select of IANA time zones (the browser's list). */
export function TimeZoneSelect({ label, value, onChange, hint }: { label: string; value: string; onChange(zone: string): void; hint?: string | undefined }) {
  const id = useId();
  const zones = useMemo(() => timeZoneOptions(value), [value]);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900"
      >
        {zones.map((z) => (
          <option key={z} value={z}>
            {z.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
