import { useEffect, useRef } from 'react';
import Markdown from 'react-markdown';
import type { ChatMessageStatus, ChatRole } from '../../shared/api/chat.js';
import { useT } from '../i18n/i18n-provider.js';

export interface DisplayMessage {
  id: string;
  role: ChatRole;
  content: string;
  /** A saved message's status, or `streaming` while the reply arrives. */
  status: ChatMessageStatus | 'streaming';
}

/**
 * The conversation. Replies are Markdown rendered by react-markdown WITHOUT raw HTML
 * (`skipHtml`): a model (or a user) writing <script> or <img onerror> gets plain text at most.
 */
export function MessageList({ messages }: { messages: DisplayMessage[] }) {
  const t = useT();
  const endRef = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.content]);

  if (messages.length === 0) return <p className="p-4 text-slate-700">{t('chat.empty')}</p>;
  return (
    <ol className="flex flex-col gap-3 p-4" aria-label={t('chat.messages')}>
      {messages.map((m) => (
        <li key={m.id} className={m.role === 'USER' ? 'flex justify-end' : 'flex justify-start'}>
          <article
            aria-label={m.role === 'USER' ? t('chat.you') : t('chat.coach')}
            data-role={m.role}
            className={
              m.role === 'USER'
                ? 'max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-700 px-4 py-2 whitespace-pre-wrap text-white'
                : 'max-w-[85%] [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-1 [&_ul]:list-disc [&_ul]:pl-5 rounded-2xl rounded-bl-sm border border-slate-200 bg-white px-4 py-2 text-slate-900'
            }
          >
            {m.role === 'USER' ? m.content : <Markdown skipHtml>{m.content}</Markdown>}
            {m.status === 'incomplete' && <p className="mt-1 text-sm text-amber-800 italic">{t('chat.incomplete')}</p>}
          </article>
        </li>
      ))}
      <div ref={endRef} />
    </ol>
  );
}
