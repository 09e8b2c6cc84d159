import type { ReactNode } from 'react';

/** What a list says when it has nothing to show (and, optionally, what to do about it). */
export function EmptyState({ children, action, className = '' }: { children: ReactNode; action?: ReactNode; className?: string }) {
  return (
    <div className={`flex flex-col items-start gap-2 text-slate-700 ${className}`.trim()}>
      <p>{children}</p>
      {action}
    </div>
  );
}
