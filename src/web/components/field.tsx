import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** The classes of a text input, select or textarea (red border when invalid). */
export function controlClass(invalid = false, extra = ''): string {
  return `rounded-lg border bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-500 disabled:bg-slate-100 ${invalid ? 'border-red-700' : 'border-slate-400'} ${extra}`.trim();
}

interface ControlIds {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

interface FieldProps {
  label: ReactNode;
  hint?: string | undefined;
  /** The message shown under the control; also marks it aria-invalid. */
  error?: string | undefined;
  className?: string;
  /** Renders the control with the ids that tie it to its label, hint and error. */
  children(ids: ControlIds): ReactNode;
}

/** A label, one control, its hint and its error, announced together (aria-describedby). */
export function Field({ label, hint, error, className = '', children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`.trim()}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

interface OwnFieldProps {
  label: ReactNode;
  hint?: string | undefined;
  error?: string | undefined;
  /** Classes of the wrapper (width in a grid or a row). */
  fieldClassName?: string;
}

/** A labelled input. */
export function TextField({ label, hint, error, fieldClassName, className = '', ref, ...input }: OwnFieldProps & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return (
    <Field label={label} hint={hint} error={error} {...(fieldClassName ? { className: fieldClassName } : {})}>
      {(ids) => <input {...input} {...ids} ref={ref} className={controlClass(!!error, className)} />}
    </Field>
  );
}

/** A labelled textarea. */
export function TextAreaField({ label, hint, error, fieldClassName, className = '', ...textarea }: OwnFieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} hint={hint} error={error} {...(fieldClassName ? { className: fieldClassName } : {})}>
      {(ids) => <textarea {...textarea} {...ids} className={controlClass(!!error, className)} />}
    </Field>
  );
}

/** A labelled select; its options are the children. */
export function SelectField({ label, hint, error, fieldClassName, className = '', children, ...select }: OwnFieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} error={error} {...(fieldClassName ? { className: fieldClassName } : {})}>
      {(ids) => (
        <select {...select} {...ids} className={controlClass(!!error, className)}>
          {children}
        </select>
      )}
    </Field>
  );
}
