import { LoaderCircle } from 'lucide-react';
import { useT } from '../i18n/i18n-provider.js';

/** "Chargement…" with a spinner, announced politely. */
export function Loading({ className = '' }: { className?: string }) {
  const t = useT();
  return (
    <p role="status" className={`flex items-center gap-2 text-slate-700 ${className}`.trim()}>
      <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />
      {t('app.loading')}
    </p>
  );
}
