import { ArrowRight, Clock } from 'lucide-react';
import { Link } from 'react-router';
import { useT } from '../i18n/i18n-provider.js';
import type { Area } from './areas.js';

/**
 * One area of the product. A built area is a link (the whole card is clickable through its
 * title); one not built yet says so and links nowhere.
 */
export function AreaCard({ area }: { area: Area }) {
  const t = useT();
  const Icon = area.icon;
  const titleId = `area-${area.id}-title`;
  const available = area.path !== null;
  return (
    <li
      className={`relative flex flex-col gap-3 rounded-2xl border p-5 shadow-sm ${
        available ? 'border-indigo-200 bg-white focus-within:ring-2 focus-within:ring-indigo-600 hover:border-indigo-400 hover:shadow-md' : 'border-slate-200 bg-white'
      }`}
    >
      <div className="flex items-start justify-between gap-3">
        <span className={`rounded-xl p-2.5 ${available ? 'bg-indigo-700 text-white' : 'bg-slate-100 text-slate-700'}`}>
          <Icon aria-hidden="true" className="size-6" />
        </span>
        {!available && (
          <span className="inline-flex items-center gap-1 rounded-full bg-amber-100 px-2.5 py-1 text-xs font-semibold text-amber-900">
            <Clock aria-hidden="true" className="size-3.5" />
            {t('home.comingSoon')}
          </span>
        )}
      </div>
      <h3 id={titleId} className="text-lg font-semibold text-slate-900">
        {available && area.path ? (
          <Link to={area.path} className="after:absolute after:inset-0 after:rounded-2xl focus-visible:outline-none">
            {t(area.title)}
          </Link>
        ) : (
          t(area.title)
        )}
      </h3>
      <p className="text-slate-700">{t(area.description)}</p>
      {available && (
        <p aria-hidden="true" className="mt-auto inline-flex items-center gap-1 font-semibold text-indigo-700">
          {t('home.open')}
          <ArrowRight className="size-4" />
        </p>
      )}
    </li>
  );
}
