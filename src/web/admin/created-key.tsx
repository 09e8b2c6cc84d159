import { Check, Copy, KeyRound } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../components/button.js';
import { controlClass } from '../components/field.js';
import { useT } from '../i18n/i18n-provider.js';

/** The secret of a key just created: shown once, with a copy button where the clipboard is available. */
export function CreatedKey({ name, secret }: { name: string; secret: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const canCopy = typeof navigator !== 'undefined' && !!navigator.clipboard;
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div role="status" className="flex flex-col gap-2 rounded-xl border border-green-300 bg-green-50 p-4 text-green-900">
      <p className="flex items-center gap-2 font-semibold">
        <KeyRound aria-hidden="true" className="size-5" />
        {t('admin.keyCreated', { name })}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input readOnly value={secret} aria-label={name} onFocus={(e) => e.currentTarget.select()} className={controlClass(false, 'min-w-0 flex-1 font-mono text-sm')} />
        {canCopy && (
          <Button variant="secondary" size="sm" onClick={copy} icon={copied ? <Check aria-hidden="true" className="size-4" /> : <Copy aria-hidden="true" className="size-4" />}>
            {copied ? t('admin.copied') : t('admin.copy')}
          </Button>
        )}
      </div>
    </div>
  );
}
