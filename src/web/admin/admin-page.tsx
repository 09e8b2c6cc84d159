import { BookOpen } from 'lucide-react';
import { useSession } from '../auth/use-session.js';
import { buttonClass } from '../components/button.js';
import { PageHeader, PageSection } from '../components/card.js';
import { QueryState } from '../components/query-state.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { useApiKeys, useUsers } from './admin-api.js';
import { ApiKeysPanel } from './api-keys-panel.js';
import { CreditsPanel } from './credits-panel.js';
import { UsersTable } from './users-table.js';

/**
 * Organization administration (admins only, see app.tsx): one <PageSection> per subject, each
 * reading its own query (admin-api.ts) — a new subject is one more section.
 */
export function AdminPage() {
  const t = useT();
  const { session } = useSession();
  usePageTitle(t('admin.title'));
  const users = useUsers();
  const keys = useApiKeys();
  return (
    <div className="flex flex-col gap-10">
      <PageHeader title={t('admin.title')} intro={t('admin.intro', { organization: session?.organization.name ?? '' })}>
        <a href="/api/docs" className={buttonClass('secondary')}>
          <BookOpen aria-hidden="true" className="size-4" />
          {t('admin.apiDocs')}
        </a>
      </PageHeader>
      <PageSection id="users-title" title={t('admin.users')}>
        <QueryState query={users} errorTitle={t('admin.loadFailed')}>
          {(data) => <UsersTable users={data.users} />}
        </QueryState>
      </PageSection>
      <PageSection id="credits-title" title={t('admin.credits')}>
        <QueryState query={users} errorTitle={t('admin.loadFailed')}>
          {(data) => <CreditsPanel users={data.users} />}
        </QueryState>
      </PageSection>
      <PageSection id="keys-title" title={t('admin.apiKeys')}>
        <QueryState query={keys} errorTitle={t('admin.loadFailed')}>
          {(data) => <ApiKeysPanel apiKeys={data.apiKeys} />}
        </QueryState>
      </PageSection>
    </div>
  );
}
