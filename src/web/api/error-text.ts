import type { Locale } from '../../shared/accounts.js';
import { formatDate } from '../i18n/format.js';
import type { MessageKey } from '../i18n/fr.js';
import type { MessageParams } from '../i18n/locales.js';
import { asApiError, type ClientErrorCode } from './client.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * What the UI says for each error code, wherever the page knows nothing better: the ONE mapping
 * from the API's stable codes (src/shared/error-codes.ts) to the user's language. A new code
 * on the server is a type error here until it has its words.
 */
export const ERROR_KEYS: Record<ClientErrorCode, MessageKey> = {
  VALIDATION_FAILED: 'error.VALIDATION_FAILED',
  UNAUTHENTICATED: 'error.UNAUTHENTICATED',
  NO_CREDITS: 'error.NO_CREDITS',
  FORBIDDEN: 'error.FORBIDDEN',
  MISSING_SCOPE: 'error.MISSING_SCOPE',
  NOT_FOUND: 'error.NOT_FOUND',
  CONFLICT: 'error.CONFLICT',
  PAYLOAD_TOO_LARGE: 'error.PAYLOAD_TOO_LARGE',
  RANGE_NOT_SATISFIABLE: 'error.RANGE_NOT_SATISFIABLE',
  RATE_LIMITED: 'error.RATE_LIMITED',
  INTERNAL: 'error.INTERNAL',
  PROVIDER_UNAVAILABLE: 'error.PROVIDER_UNAVAILABLE',
  NETWORK: 'error.NETWORK',
};

/** The API's field names the whole app can name (a page adds its own with `fieldLabels`). */
const FIELD_KEYS: Record<string, MessageKey> = {
  email: 'field.email',
  password: 'field.password',
  name: 'field.name',
  timeZone: 'account.timeZone',
  title: 'offers.field.title',
  description: 'offers.field.description',
  durationMs: 'offers.field.duration',
  priceCents: 'offers.field.price',
  currency: 'offers.field.currency',
  language: 'offers.field.language',
  discordUrl: 'offers.field.discord',
  message: 'chat.messageLabel',
  amount: 'admin.credits.amount',
  reason: 'admin.credits.reason',
};

export interface ErrorTextOptions {
  /** Words of this page for some codes (a 401 on sign-in is a wrong password, a 409 on booking a taken slot). */
  overrides?: Partial<Record<ClientErrorCode, MessageKey>>;
  /** The page's labels of the API's fields (`priceCents` → "Prix"), already translated. */
  fieldLabels?: Record<string, string>;
  /** For dates computed here (the credits' renewal); tests pass a fixed one. */
  now?: Date;
}

/**
 * When the month's chat credits come back: `details.resetsAt` when the server says, else the
 * first day of the next calendar month in UTC — the credit period (docs/decisions/0005).
 */
export function creditsResetDate(details: unknown, now = new Date()): string {
  const given = (details as { resetsAt?: unknown } | null | undefined)?.resetsAt;
  if (typeof given === 'string' && !Number.isNaN(Date.parse(given))) return given;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

/** The translated label of an API field (first segment of its path), or undefined when unknown. */
export function fieldLabel(field: string, t: Translate, labels: Record<string, string> = {}): string | undefined {
  const head = field.split('.')[0] ?? field;
  const known = labels[field] ?? labels[head];
  if (known) return known;
  const key = FIELD_KEYS[head];
  return key ? t(key) : undefined;
}

/**
 * The sentence to show for any thrown value, in the UI's language, from its code: NO_CREDITS
 * with the renewal date, RATE_LIMITED with the seconds to wait, VALIDATION_FAILED naming the
 * first bad field. The server's own `message` is never shown.
 */
export function errorText(err: unknown, t: Translate, locale: Locale, options: ErrorTextOptions = {}): string {
  const error = asApiError(err);
  const key = options.overrides?.[error.code] ?? ERROR_KEYS[error.code];
  switch (error.code) {
    case 'NO_CREDITS':
      return t(key, { date: formatDate(locale, creditsResetDate(error.details, options.now)) });
    case 'RATE_LIMITED': {
      const waitMs = error.retryAfterMs;
      if (waitMs === undefined && !options.overrides?.RATE_LIMITED) return t('error.RATE_LIMITED.later');
      return t(key, { seconds: Math.max(1, Math.ceil((waitMs ?? 1000) / 1000)) });
    }
    case 'MISSING_SCOPE': {
      const scope = (error.details as { scope?: unknown } | undefined)?.scope;
      return t(key, { scope: typeof scope === 'string' ? scope : '?' });
    }
    case 'VALIDATION_FAILED': {
      const first = error.fieldErrors[0];
      const label = first ? fieldLabel(first.field, t, options.fieldLabels) : undefined;
      if (label && !options.overrides?.VALIDATION_FAILED) return t('error.VALIDATION_FAILED.field', { field: label });
      return t(key, label ? { field: label } : undefined);
    }
    default:
      return t(key);
  }
}
