import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.js';
import { useT } from '../i18n/i18n-provider.js';
import type { MessageKey } from '../i18n/fr.js';
import { collectErrors, type FieldErrors } from './validate.js';

interface AuthFormOptions<F extends string> {
  initial: Record<F, string>;
  /** Client-side checks, run before anything is sent. */
  validate(values: Record<F, string>): Record<F, MessageKey | undefined>;
  submit(values: Record<F, string>): Promise<void>;
}

/**
 * State of a small form whose errors come from two places: client checks (translated keys,
 * so they follow a language switch) and the server (its message, and details.fields).
 * Inputs are named after their field: focus moves to the first invalid one.
 */
export function useAuthForm<F extends string>({ initial, validate, submit }: AuthFormOptions<F>) {
  const t = useT();
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors<F>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<{ key: MessageKey } | { text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const setValue = (field: F, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setClientErrors((e) => ({ ...e, [field]: undefined }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };

  const errorOf = (field: F): string | undefined => {
    const key = clientErrors[field];
    return key ? t(key) : serverErrors[field];
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
    setServerErrors({});
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
      if (!(err instanceof ApiError) || err.isNetwork) {
        setFormError({ key: 'form.networkError' });
      } else {
        setFormError({ text: err.message });
        const fields: Partial<Record<F, string>> = {};
        for (const { field, message } of err.fieldErrors) {
          if (field in initial) fields[field as F] = message || err.message;
        }
        setServerErrors(fields);
        const firstField = Object.keys(initial).find((f) => fields[f as F]) as F | undefined;
        if (firstField !== undefined) focus(firstField);
      }
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

  const formErrorText = formError === null ? null : 'key' in formError ? t(formError.key) : formError.text;
  return { values, setValue, errorOf, bind, onSubmit, busy, formError: formErrorText };
}
