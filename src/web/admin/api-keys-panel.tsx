import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { FormAlert } from '../components/form-alert.js';
import { TextField } from '../components/text-field.js';
import { useT } from '../i18n/i18n-provider.js';
import { ApiKeyRow } from './api-key-row.js';
import { CreatedKey } from './created-key.js';

/** Lists the organization's API keys; creates one (secret shown once) and revokes. */
export function ApiKeysPanel({ apiKeys, onChanged }: { apiKeys: ApiKey[]; onChanged(): void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError && !err.isNetwork ? err.message : t('form.networkError'));
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameError(!trimmed);
    if (!trimmed) return;
    void run(async () => {
      const result = await api<{ key: string; apiKey: ApiKey }>('POST', '/api/api-keys', { name: trimmed });
      setCreated({ name: result.apiKey.name, secret: result.key });
      setName('');
    });
  };

  const revoke = (key: ApiKey) => {
    if (!window.confirm(t('admin.revokeConfirm', { name: key.name }))) return;
    void run(async () => {
      await api('DELETE', `/api/api-keys/${encodeURIComponent(key.id)}`);
    });
  };

  const th = 'px-3 py-2 text-left text-sm font-semibold text-slate-700';
  return (
    <div className="flex flex-col gap-4">
      <p className="text-slate-700">{t('admin.apiKeysIntro')}</p>
      <FormAlert title={t('admin.actionFailed')} message={error} />
      {created && <CreatedKey name={created.name} secret={created.secret} />}
      <form noValidate onSubmit={create} className="flex flex-wrap items-end gap-3">
        <div className="min-w-60 flex-1">
          <TextField
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
        </div>
        <button
          type="submit"
          disabled={busy}
          className="mb-px inline-flex items-center gap-2 rounded-lg bg-indigo-700 px-4 py-2.5 font-semibold text-white hover:bg-indigo-800 disabled:cursor-wait"
        >
          <Plus aria-hidden="true" className="size-4" />
          {busy ? t('admin.creatingKey') : t('admin.createKey')}
        </button>
      </form>
      {apiKeys.length === 0 ? (
        <p className="text-slate-700">{t('admin.noApiKeys')}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full min-w-[44rem] border-collapse">
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className={th}>{t('admin.col.name')}</th>
                <th scope="col" className={th}>{t('admin.col.prefix')}</th>
                <th scope="col" className={th}>{t('admin.col.createdAt')}</th>
                <th scope="col" className={th}>{t('admin.col.lastUsedAt')}</th>
                <th scope="col" className={th}>{t('admin.col.status')}</th>
                <th scope="col" className={th}>{t('admin.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {apiKeys.map((key) => (
                <ApiKeyRow key={key.id} apiKey={key} busy={busy} onRevoke={revoke} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
