import type { MessageKey } from '../i18n/fr.js';

/** Client-side checks mirroring the server's schemas (ZName, ZEmail, ZPassword). */
export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

// The same shape zod's z.email() accepts, loosely: something@domain.tld without spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: string): MessageKey | undefined {
  const email = value.trim();
  if (!email) return 'form.required';
  if (!EMAIL.test(email)) return 'form.invalidEmail';
  return undefined;
}

export function checkName(value: string): MessageKey | undefined {
  return value.trim() ? undefined : 'form.required';
}

export function checkNewPassword(value: string): MessageKey | undefined {
  if (!value) return 'form.required';
  if (value.length < 8) return 'form.passwordTooShort';
  if (value.length > 128) return 'form.passwordTooLong';
  return undefined;
}

export function checkPassword(value: string): MessageKey | undefined {
  return value ? undefined : 'form.required';
}

/** Drops the fields without an error, so `Object.keys(errors).length` counts the errors. */
export function collectErrors<F extends string>(checks: Record<F, MessageKey | undefined>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const [field, message] of Object.entries(checks) as [F, MessageKey | undefined][]) {
    if (message) errors[field] = message;
  }
  return errors;
}
