import { House } from 'lucide-react';
import { useLocation } from 'react-router';
import { ButtonLink } from '../components/button.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';

export function NotFoundPage() {
  const t = useT();
  const { pathname } = useLocation();
  usePageTitle(t('notFound.title'));
  return (
    <div className="mx-auto max-w-xl py-12 text-center">
      <p className="text-5xl font-bold text-indigo-700" aria-hidden="true">
        404
      </p>
      <h1 className="mt-4 text-2xl font-bold">{t('notFound.title')}</h1>
      <p className="mt-2 break-words text-slate-700">{t('notFound.body', { path: pathname })}</p>
      <ButtonLink to="/" className="mt-6" icon={<House aria-hidden="true" className="size-4" />}>
        {t('notFound.back')}
      </ButtonLink>
    </div>
  );
}
