import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n-provider.js';
import { errorText, type ErrorTextOptions } from './error-text.js';

/** `errorText` in the current language: `const describe = useErrorText(); describe(err, { overrides })`. */
export function useErrorText(): (err: unknown, options?: ErrorTextOptions) => string {
  const { t, locale } = useI18n();
  return useCallback((err: unknown, options?: ErrorTextOptions) => errorText(err, t, locale, options), [t, locale]);
}
