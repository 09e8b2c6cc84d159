import { X } from 'lucide-react';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Button } from './button.js';

/**
 * A modal dialog (native <dialog>: focus trap, Escape, inert page behind). `onClose` runs however
 * it closes; `children` gets `close()` for its own buttons.
 */
export function Dialog({ title, closeLabel, onClose, children }: { title: ReactNode; closeLabel: string; onClose(): void; children(close: () => void): ReactNode }) {
  const [dialog, setDialog] = useState<HTMLDialogElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    if (dialog && !dialog.open) dialog.showModal();
  }, [dialog]);
  const close = () => dialog?.close();
  return (
    <dialog ref={setDialog} onClose={onClose} aria-labelledby={titleId} className="m-auto w-[min(960px,95vw)] rounded-xl p-0 backdrop:bg-slate-900/60">
      <div className="flex flex-col gap-4 p-5">
        <div className="flex items-start justify-between gap-4">
          <h2 id={titleId} className="text-xl font-bold">
            {title}
          </h2>
          <Button variant="ghost" size="icon" onClick={close} aria-label={closeLabel} icon={<X aria-hidden="true" className="size-5" />} />
        </div>
        {children(close)}
      </div>
    </dialog>
  );
}
