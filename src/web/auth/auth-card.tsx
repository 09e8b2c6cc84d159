import type { ReactNode } from 'react';
import { Logo } from '../components/logo.js';

/** The centred card of the login and sign-up pages. */
export function AuthCard({ title, intro, children, footer }: { title: string; intro: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <Logo className="size-12" />
          <h1 className="text-2xl font-bold text-slate-900">{title}</h1>
          <p className="text-slate-600">{intro}</p>
        </div>
        {children}
      </div>
      {footer && <div className="mt-4 text-center text-slate-700">{footer}</div>}
    </div>
  );
}
