import { API_KEY_SCOPES, type ApiKeyScope } from '../../shared/accounts.js';
import { useT } from '../i18n/i18n-provider.js';

/** The scopes of a new API key, one checkbox each (least privilege: the admin ticks what the application needs). */
export function ApiKeyScopesField({ value, onChange }: { value: ApiKeyScope[]; onChange(scopes: ApiKeyScope[]): void }) {
  const t = useT();
  const toggle = (scope: ApiKeyScope, on: boolean) => onChange(API_KEY_SCOPES.filter((s) => (s === scope ? on : value.includes(s))));
  return (
    <fieldset className="flex w-full flex-col gap-2">
      <legend className="mb-1 font-medium text-slate-900">{t('admin.keyScopes')}</legend>
      <p className="text-sm text-slate-700">{t('admin.keyScopesHint')}</p>
      {API_KEY_SCOPES.map((scope) => (
        <label key={scope} className="flex items-center gap-2 text-slate-800">
          <input type="checkbox" name="scopes" value={scope} checked={value.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} className="size-4" />
          {t(`admin.scope.${scope}`)}
        </label>
      ))}
    </fieldset>
  );
}
