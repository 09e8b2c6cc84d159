import { LogOut } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useErrorText } from '../api/use-error-text.js';
import { useSession } from '../auth/use-session.js';
import { useT } from '../i18n/i18n-provider.js';
import { Button } from './button.js';

export function SignOutButton() {
  const t = useT();
  const describe = useErrorText();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const onClick = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      await navigate('/login', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" size="sm" onClick={() => void onClick()} busy={busy} busyLabel={t('header.signingOut')} icon={<LogOut aria-hidden="true" className="size-4" />}>
        {t('header.signOut')}
      </Button>
      <p role="alert" className="max-w-56 text-right text-xs text-red-700">
        {error ? describe(error) : null}
      </p>
    </div>
  );
}
