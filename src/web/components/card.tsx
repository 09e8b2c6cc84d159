import type { ReactNode } from 'react';

/** The classes of a card (white, bordered, rounded), for an element that is not a <Card> (a <li>, a <form>). */
export function cardClass(extra = ''): string {
  return `rounded-xl border border-slate-200 bg-white p-4 ${extra}`.trim();
}

/** A white bordered box grouping related content. */
export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={cardClass(className)}>{children}</div>;
}

/** A titled part of a page (an <h2> and its content): pages are a list of these, easy to add to. */
export function PageSection({ id, title, children, className = '' }: { id: string; title: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={id} className={`flex flex-col gap-3 ${className}`.trim()}>
      <h2 id={id} className="text-xl font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The page's <h1> and its introduction, with optional actions on the right. */
export function PageHeader({ title, intro, children }: { title: ReactNode; intro?: ReactNode; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-3xl font-bold text-slate-900">{title}</h1>
        {intro && <p className="mt-1 max-w-3xl text-lg text-slate-700">{intro}</p>}
      </div>
      {children}
    </div>
  );
}
