import { useState, type FormEvent } from 'react';
import { asApiError, type ClientErrorCode } from '../api/client.js';
import { useErrorText } from '../api/use-error-text.js';
import { useT } from '../i18n/i18n-provider.js';
import type { MessageKey } from '../i18n/fr.js';
import { collectErrors, type FieldErrors } from './validate.js';

interface AuthFormOptions<F extends string> {
  initial: Record<F, string>;
  /** Client-side checks, run before anything is sent. */
  validate(values: Record<F, string>): Record<F, MessageKey | undefined>;
  submit(values: Record<F, string>): Promise<void>;
  /** What this form says for some API codes (a 401 on sign-in is a wrong email or password). */
  errorOverrides?: Partial<Record<ClientErrorCode, MessageKey>>;
}

/**
 * State of a small form whose errors come from two places: client checks and the server's code
 * (with the fields `details` names). Both are kept as what to translate, not as text, so they
 * follow a language switch. Inputs are named after their field: focus moves to the first invalid one.
 */
export function useAuthForm<F extends string>({ initial, validate, submit, errorOverrides }: AuthFormOptions<F>) {
  const t = useT();
  const describe = useErrorText();
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors<F>>({});
  /** The fields the server refused. */
  const [serverFields, setServerFields] = useState<Partial<Record<F, true>>>({});
  const [formError, setFormError] = useState<{ key: MessageKey } | { error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);

  const setValue = (field: F, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setClientErrors((e) => ({ ...e, [field]: undefined }));
    setServerFields((e) => ({ ...e, [field]: undefined }));
  };

  const serverText = formError && 'error' in formError ? describe(formError.error, errorOverrides ? { overrides: errorOverrides } : {}) : null;

  const errorOf = (field: F): string | undefined => {
    const key = clientErrors[field];
    if (key) return t(key);
    if (!serverFields[field] || !formError || !('error' in formError)) return undefined;
    // A schema error says "check this field"; another (an email already used) repeats the form's message.
    return asApiError(formError.error).code === 'VALIDATION_FAILED' ? t('error.field.invalid') : (serverText ?? undefined);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const focus = (field: F) => {
      const input = form.elements.namedItem(field);
      if (input instanceof HTMLElement) input.focus();
    };
    const errors = collectErrors(validate(values));
    const invalid = Object.keys(initial).filter((f) => errors[f as F]) as F[];
    setClientErrors(errors);
    setServerFields({});
    if (invalid[0] !== undefined) {
      setFormError({ key: 'form.fixErrors' });
      focus(invalid[0]);
      return;
    }
    setFormError(null);
    setBusy(true);
    try {
      await submit(values);
    } catch (err) {
      setFormError({ error: err });
      const fields: Partial<Record<F, true>> = {};
      for (const { field } of asApiError(err).fieldErrors) if (field in initial) fields[field as F] = true;
      setServerFields(fields);
      const firstField = Object.keys(initial).find((f) => fields[f as F]) as F | undefined;
      if (firstField !== undefined) focus(firstField);
    } finally {
      setBusy(false);
    }
  };

  /** The props that tie a TextField to a field: name (for focus), value, onChange, error. */
  const bind = (field: F) => ({
    name: field,
    value: values[field],
    onChange: (e: { target: { value: string } }) => setValue(field, e.target.value),
    error: errorOf(field),
  });

  const formErrorText = formError === null ? null : 'key' in formError ? t(formError.key) : serverText;
  return { values, setValue, errorOf, bind, onSubmit, busy, formError: formErrorText };
}
