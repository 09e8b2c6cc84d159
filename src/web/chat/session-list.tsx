import { Pencil, Plus, Search, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';
import type { ChatSession } from './types.js';

interface Props {
  sessions: ChatSession[];
  selectedId: string | null;
  search: string;
  onSearch(q: string): void;
  onSelect(id: string): void;
  onNew(): void;
  onRename(id: string, title: string): Promise<void>;
  onDelete(session: ChatSession): Promise<void>;
  hasMore: boolean;
  onMore(): void;
}

/** Conversations: search, select, rename (inline) and delete. */
export function SessionList(props: Props) {
  const { t, locale } = useI18n();
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  const submitRename = async (e: FormEvent, id: string) => {
    e.preventDefault();
    if (draft.trim() === '') return;
    await props.onRename(id, draft.trim());
    setRenaming(null);
  };

  return (
    <nav aria-labelledby="chat-sessions-title" className="flex min-h-0 flex-col gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="chat-sessions-title" className="text-lg font-semibold text-slate-900">{t('chat.sessions')}</h2>
        <button type="button" onClick={props.onNew} className="inline-flex items-center gap-1 rounded-lg border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-100">
          <Plus aria-hidden="true" className="size-4" />
          {t('chat.newSession')}
        </button>
      </div>
      <div className="relative">
        <Search aria-hidden="true" className="pointer-events-none absolute top-2.5 left-2 size-4 text-slate-600" />
        <input
          type="search"
          aria-label={t('chat.search')}
          placeholder={t('chat.search')}
          value={props.search}
          onChange={(e) => props.onSearch(e.target.value)}
          className="w-full rounded-lg border border-slate-400 bg-white py-2 pr-2 pl-8 text-slate-900"
        />
      </div>
      {props.sessions.length === 0 ? (
        <p className="text-slate-700">{props.search ? t('chat.noMatch') : t('chat.noSessions')}</p>
      ) : (
        <ul className="flex flex-col gap-1 overflow-y-auto">
          {props.sessions.map((s) => (
            <li key={s.id} className={`rounded-lg border ${s.id === props.selectedId ? 'border-indigo-600 bg-indigo-50' : 'border-transparent'}`}>
              {renaming === s.id ? (
                <form onSubmit={(e) => void submitRename(e, s.id)} className="flex flex-col gap-1 p-2">
                  <input
                    aria-label={t('chat.renameLabel', { title: s.title })}
                    value={draft}
                    maxLength={80}
                    autoFocus
                    onChange={(e) => setDraft(e.target.value)}
                    onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                    className="rounded border border-slate-400 px-2 py-1"
                  />
                  <div className="flex gap-2">
                    <button type="submit" className="rounded bg-indigo-700 px-2 py-1 text-sm font-semibold text-white">{t('chat.save')}</button>
                    <button type="button" onClick={() => setRenaming(null)} className="rounded border border-slate-400 px-2 py-1 text-sm">{t('chat.cancel')}</button>
                  </div>
                </form>
              ) : (
                <div className="flex items-start gap-1 p-1">
                  <button
                    type="button"
                    onClick={() => props.onSelect(s.id)}
                    aria-current={s.id === props.selectedId ? 'true' : undefined}
                    className="flex min-w-0 flex-1 flex-col items-start rounded px-2 py-1 text-left hover:bg-slate-100"
                  >
                    <span className="w-full truncate font-medium text-slate-900">{s.title}</span>
                    <span className="text-xs text-slate-600">{formatDate(locale, s.updatedAt, 'dateTime')}</span>
                  </button>
                  <button
                    type="button"
                    title={t('chat.rename')}
                    aria-label={`${t('chat.rename')} « ${s.title} »`}
                    onClick={() => {
                      setDraft(s.title);
                      setRenaming(s.id);
                    }}
                    className="rounded p-1.5 text-slate-700 hover:bg-slate-200"
                  >
                    <Pencil aria-hidden="true" className="size-4" />
                  </button>
                  <button
                    type="button"
                    title={t('chat.delete')}
                    aria-label={`${t('chat.delete')} « ${s.title} »`}
                    onClick={() => void props.onDelete(s)}
                    className="rounded p-1.5 text-red-800 hover:bg-red-50"
                  >
                    <Trash2 aria-hidden="true" className="size-4" />
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.hasMore && (
        <button type="button" onClick={props.onMore} className="rounded-lg border border-slate-400 px-3 py-1.5 text-sm font-semibold text-slate-800">
          {t('chat.loadMore')}
        </button>
      )}
    </nav>
  );
}
