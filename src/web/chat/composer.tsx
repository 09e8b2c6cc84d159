import { Send, Square } from 'lucide-react';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../components/button.js';
import { controlClass } from '../components/field.js';
import { useT } from '../i18n/i18n-provider.js';

/** Keyboard-first: Enter sends, Shift+Enter inserts a new line (IME composition is respected). */
export function Composer({ busy, disabled, onSend, onStop }: { busy: boolean; disabled: boolean; onSend(text: string): void; onStop(): void }) {
  const t = useT();
  const [text, setText] = useState('');
  const hintId = useId();
  const submit = () => {
    const message = text.trim();
    if (!message || busy || disabled) return;
    onSend(message);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1 border-t border-slate-200 bg-slate-50 p-3">
      <label htmlFor="chat-message" className="font-semibold text-slate-800">{t('chat.messageLabel')}</label>
      <div className="flex items-end gap-2">
        <textarea
          id="chat-message"
          aria-describedby={hintId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          disabled={disabled}
          rows={2}
          maxLength={4000}
          className={controlClass(false, 'min-h-12 flex-1 resize-y')}
        />
        {busy ? (
          <Button variant="secondary" onClick={onStop} icon={<Square aria-hidden="true" className="size-4" />}>
            {t('chat.stop')}
          </Button>
        ) : (
          <Button type="submit" disabled={disabled || text.trim() === ''} icon={<Send aria-hidden="true" className="size-4" />}>
            {t('chat.send')}
          </Button>
        )}
      </div>
      <p id={hintId} className="text-sm text-slate-600">{busy ? t('chat.sending') : t('chat.composerHint')}</p>
    </form>
  );
}
