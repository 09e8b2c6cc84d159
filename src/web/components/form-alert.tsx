import { CircleAlert } from 'lucide-react';

/**
 * The form-level error, next to the form. The live region is always in the page so that
 * screen readers announce the message when it appears.
 */
export function FormAlert({ title, message }: { title: string; message: string | null }) {
  return (
    <div role="alert" aria-live="assertive" aria-atomic="true">
      {message && (
        <div className="flex gap-3 rounded-lg border border-red-300 bg-red-50 p-3 text-red-800">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-5 shrink-0" />
          <div>
            <p className="font-semibold">{title}</p>
            <p>{message}</p>
          </div>
        </div>
      )}
    </div>
  );
}
