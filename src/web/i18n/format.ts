import type { Locale } from '../api/types.js';

/** Dates and numbers always go through Intl, in the UI language. */
export function formatDate(locale: Locale, iso: string, style: 'date' | 'dateTime' = 'date'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, style === 'date' ? { dateStyle: 'long' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}
