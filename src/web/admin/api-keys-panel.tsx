import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from '../../shared/accounts.js';
import type { ApiKey } from '../api/types.js';
import { useErrorText } from '../api/use-error-text.js';
import { FormAlert } from '../components/alert.js';
import { Button } from '../components/button.js';
import { DataTable } from '../components/data-table.js';
import { EmptyState } from '../components/empty-state.js';
import { TextField } from '../components/field.js';
import { useT } from '../i18n/i18n-provider.js';
import { useCreateApiKey, useRevokeApiKey } from './admin-api.js';
import { ApiKeyRow } from './api-key-row.js';
import { ApiKeyScopesField } from './api-key-scopes-field.js';
import { CreatedKey } from './created-key.js';

/** Lists the organization's API keys; creates one (secret shown once) and revokes. */
export function ApiKeysPanel({ apiKeys }: { apiKeys: ApiKey[] }) {
  const t = useT();
  const describe = useErrorText();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState(false);
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...DEFAULT_API_KEY_SCOPES]);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const failed = create.error ?? revoke.error;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameError(!trimmed);
    if (!trimmed) return;
    revoke.reset();
    create.mutate({ name: trimmed, scopes }, {
      onSuccess: () => {
        setName('');
        setScopes([...DEFAULT_API_KEY_SCOPES]);
      },
    });
  };

  const onRevoke = (key: ApiKey) => {
    if (!window.confirm(t('admin.revokeConfirm', { name: key.name }))) return;
    create.reset();
    revoke.mutate(key);
  };

  return (
    <div className="flex flex-col gap-4">
      <p className="text-slate-700">{t('admin.apiKeysIntro')}</p>
      <FormAlert title={t('admin.actionFailed')} message={failed ? describe(failed, { overrides: { CONFLICT: 'error.apiKey.CONFLICT' }, fieldLabels: { name: t('admin.keyName') } }) : null} />
      {create.data && <CreatedKey name={create.data.apiKey.name} secret={create.data.key} />}
      <form noValidate onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <TextField
          fieldClassName="min-w-60 flex-1"
          label={t('admin.keyName')}
          required
          maxLength={120}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(false);
          }}
          error={nameError ? t('form.required') : undefined}
        />
        <ApiKeyScopesField value={scopes} onChange={setScopes} />
        <Button type="submit" className="mb-px" busy={create.isPending} busyLabel={t('admin.creatingKey')} icon={<Plus aria-hidden="true" className="size-4" />}>
          {t('admin.createKey')}
        </Button>
      </form>
      {apiKeys.length === 0 ? (
        <EmptyState>{t('admin.noApiKeys')}</EmptyState>
      ) : (
        <DataTable minWidth="52rem" head={[t('admin.col.name'), t('admin.col.prefix'), t('admin.col.scopes'), t('admin.col.createdAt'), t('admin.col.lastUsedAt'), t('admin.col.status'), t('admin.col.actions')]}>
          {apiKeys.map((key) => (
            <ApiKeyRow key={key.id} apiKey={key} busy={revoke.isPending} onRevoke={onRevoke} />
          ))}
        </DataTable>
      )}
    </div>
  );
}
