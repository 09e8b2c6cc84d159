import { useMemo } from 'react';
import { timeZoneOptions } from '../i18n/time-zone.js';
import { SelectField } from './field.js';

/** A labelled select of IANA time zones (the browser's list). */
export function TimeZoneSelect({ label, value, onChange, hint }: { label: string; value: string; onChange(zone: string): void; hint?: string | undefined }) {
  const zones = useMemo(() => timeZoneOptions(value), [value]);
  return (
    <SelectField label={label} hint={hint} value={value} onChange={(e) => onChange(e.target.value)}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z.replaceAll('_', ' ')}
        </option>
      ))}
    </SelectField>
  );
}
