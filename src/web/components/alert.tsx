import { CircleAlert, CircleCheck, Info, TriangleAlert } from 'lucide-react';
import type { ReactNode } from 'react';

export type AlertTone = 'error' | 'warning' | 'success' | 'info';

const TONES: Record<AlertTone, { box: string; Icon: typeof Info }> = {
  error: { box: 'border-red-300 bg-red-50 text-red-800', Icon: CircleAlert },
  warning: { box: 'border-amber-400 bg-amber-50 text-amber-950', Icon: TriangleAlert },
  success: { box: 'border-green-300 bg-green-50 text-green-900', Icon: CircleCheck },
  info: { box: 'border-slate-300 bg-slate-100 text-slate-800', Icon: Info },
};

/** A boxed message: an error, a warning, a success or a piece of information, with an optional title. */
export function Alert({ tone = 'error', title, children, role, className = '', ...data }: { tone?: AlertTone; title?: ReactNode; children?: ReactNode; role?: 'alert' | 'status'; className?: string; 'data-testid'?: string; 'data-error-code'?: string }) {
  const { box, Icon } = TONES[tone];
  return (
    <div role={role} className={`flex gap-3 rounded-lg border p-3 ${box} ${className}`.trim()} {...data}>
      <Icon aria-hidden="true" className="mt-0.5 size-5 shrink-0" />
      <div className="flex min-w-0 flex-col gap-1">
        {title && <p className="font-semibold">{title}</p>}
        {children}
      </div>
    </div>
  );
}

/**
 * The error of a form or a section, where it happened. The live region is always in the page so
 * that screen readers announce the message when it appears.
 */
export function FormAlert({ title, message }: { title: string; message: string | null | undefined }) {
  return (
    <div role="alert" aria-live="assertive" aria-atomic="true">
      {message && (
        <Alert tone="error" title={title}>
          <p>{message}</p>
        </Alert>
      )}
    </div>
  );
}

/** A polite live region for what just succeeded ("Saved."). Always in the page, empty until then. */
export function StatusText({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <p role="status" className={`text-green-800 ${className}`.trim()}>
      {children}
    </p>
  );
}
