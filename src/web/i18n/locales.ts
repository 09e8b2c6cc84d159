import { LOCALES, type Locale } from '../../shared/accounts.js';
import { en } from './en.js';
import { fr, type MessageKey } from './fr.js';

export { LOCALES };
export const DEFAULT_LOCALE: Locale = 'fr';

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { fr, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type MessageParams = Record<string, string | number>;

/** Looks a message up and fills its `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}
