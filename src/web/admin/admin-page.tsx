import { BookOpen, LoaderCircle } from 'lucide-react';
import type { ReactNode } from 'react';
import { ApiKeysPanel } from '../admin/api-keys-panel.js';
import { UsersTable } from '../admin/users-table.js';
import { CreditsPanel } from '../admin/credits-panel.js';
import type { ApiKey, User } from '../api/types.js';
import { useApiResource, type Resource } from '../api/use-api-resource.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/form-alert.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';

function Loaded<T>({ resource, children }: { resource: Resource<T>; children(data: T): ReactNode }) {
  const t = useT();
  if (resource.status === 'loading') {
    return (
      <p className="flex items-center gap-2 text-slate-700" role="status">
        <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />
        {t('app.loading')}
      </p>
    );
  }
  if (resource.status === 'error') return <FormAlert title={t('admin.loadFailed')} message={resource.error.message} />;
  return <>{children(resource.data)}</>;
}

/** Organization administration (admins only, see app.tsx): users, API keys, API docs. */
export function AdminPage() {
  const t = useT();
  const { session } = useSession();
  usePageTitle(t('admin.title'));
  const users = useApiResource<{ users: User[] }>('/api/users');
  const keys = useApiResource<{ apiKeys: ApiKey[] }>('/api/api-keys');
  return (
    <div className="flex flex-col gap-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold text-slate-900">{t('admin.title')}</h1>
          <p className="mt-1 text-lg text-slate-700">{t('admin.intro', { organization: session?.organization.name ?? '' })}</p>
        </div>
        <a
          href="/api/docs"
          className="inline-flex items-center gap-2 rounded-lg border border-slate-400 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
        >
          <BookOpen aria-hidden="true" className="size-4" />
          {t('admin.apiDocs')}
        </a>
      </div>
      <section aria-labelledby="users-title" className="flex flex-col gap-3">
        <h2 id="users-title" className="text-xl font-semibold">{t('admin.users')}</h2>
        <Loaded resource={users.resource}>{(data) => <UsersTable users={data.users} />}</Loaded>
      </section>
      <section aria-labelledby="credits-title" className="flex flex-col gap-3">
        <h2 id="credits-title" className="text-xl font-semibold">{t('admin.credits')}</h2>
        <Loaded resource={users.resource}>{(data) => <CreditsPanel users={data.users} onUserChanged={users.reload} />}</Loaded>
      </section>
      <section aria-labelledby="keys-title" className="flex flex-col gap-3">
        <h2 id="keys-title" className="text-xl font-semibold">{t('admin.apiKeys')}</h2>
        <Loaded resource={keys.resource}>{(data) => <ApiKeysPanel apiKeys={data.apiKeys} onChanged={keys.reload} />}</Loaded>
      </section>
    </div>
  );
}
