/** Conversions between what coaches type and what the API takes (minutes of the day, cents). */

/** "09:30" → 570. An end time of "00:00" means midnight at the end of the day (1440). */
export function toMinute(value: string, isEnd = false): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return isEnd && minute === 0 ? 1440 : minute;
}

/** 570 → "09:30"; 1440 → "00:00" (midnight). */
export function fromMinute(minute: number): string {
  const m = minute % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "45", "45,5", "45.50" → cents; null when not a price. */
export function toCents(value: string): number | null {
  const m = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Cents → "45" or "45.50" (an input value; the page shows prices with Intl). */
export function fromCents(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

/** Weekday names in the UI language, Sunday (0) first, as the API numbers them. */
export function weekdayNames(locale: string): string[] {
  // 2024-01-07 was a Sunday.
  return Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + d))));
}
