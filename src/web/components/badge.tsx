import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'success' | 'warning' | 'brand';

const TONES: Record<BadgeTone, string> = {
  neutral: 'bg-slate-200 text-slate-800',
  success: 'bg-green-100 text-green-900',
  warning: 'bg-amber-100 text-amber-900',
  brand: 'bg-indigo-100 text-indigo-800',
};

/** A short status in a pill ("Active", "Expirée"). */
export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`inline-flex w-fit items-center gap-1 rounded-full px-2 py-0.5 text-sm font-semibold ${TONES[tone]}`}>{children}</span>;
}
