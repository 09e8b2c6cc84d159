import { LoaderCircle, LogOut } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client.js';
import { useSession } from '../auth/use-session.js';
import { useT } from '../i18n/i18n-provider.js';

export function SignOutButton() {
  const t = useT();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onClick = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      await navigate('/login', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && !err.isNetwork ? err.message : t('form.networkError'));
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={() => void onClick()}
        disabled={busy}
        className="inline-flex items-center gap-2 rounded-lg border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-100 disabled:cursor-wait"
      >
        {busy ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : <LogOut aria-hidden="true" className="size-4" />}
        {busy ? t('header.signingOut') : t('header.signOut')}
      </button>
      <p role="alert" className="max-w-56 text-right text-xs text-red-700">
        {error}
      </p>
    </div>
  );
}
