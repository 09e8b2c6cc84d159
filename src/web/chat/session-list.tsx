import { Pencil, Plus, Search, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button } from '../components/button.js';
import { controlClass } from '../components/field.js';
import { EmptyState } from '../components/empty-state.js';
import { Loading } from '../components/loading.js';
import { formatDate } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n-provider.js';
import type { ChatSession } from './types.js';

interface Props {
  sessions: ChatSession[];
  /** False until the first page arrived. */
  loaded: boolean;
  selectedId: string | null;
  search: string;
  onSearch(q: string): void;
  onSelect(id: string): void;
  onNew(): void;
  onRename(id: string, title: string): Promise<void>;
  onDelete(session: ChatSession): Promise<void>;
  hasMore: boolean;
  loadingMore: boolean;
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
        <Button variant="secondary" size="sm" onClick={props.onNew} icon={<Plus aria-hidden="true" className="size-4" />}>
          {t('chat.newSession')}
        </Button>
      </div>
      <div className="relative">
        <Search aria-hidden="true" className="pointer-events-none absolute top-2.5 left-2 size-4 text-slate-600" />
        <input
          type="search"
          aria-label={t('chat.search')}
          placeholder={t('chat.search')}
          value={props.search}
          onChange={(e) => props.onSearch(e.target.value)}
          className={controlClass(false, 'w-full pl-8')}
        />
      </div>
      {!props.loaded ? (
        <Loading />
      ) : props.sessions.length === 0 ? (
        <EmptyState>{props.search ? t('chat.noMatch') : t('chat.noSessions')}</EmptyState>
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
                    className={controlClass(false, 'px-2 py-1')}
                  />
                  <div className="flex gap-2">
                    <Button type="submit" size="sm">{t('chat.save')}</Button>
                    <Button variant="secondary" size="sm" onClick={() => setRenaming(null)}>{t('chat.cancel')}</Button>
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
                  <Button
                    variant="ghost"
                    size="icon"
                    title={t('chat.rename')}
                    aria-label={`${t('chat.rename')} « ${s.title} »`}
                    onClick={() => {
                      setDraft(s.title);
                      setRenaming(s.id);
                    }}
                    icon={<Pencil aria-hidden="true" className="size-4" />}
                  />
                  <Button
                    variant="ghost"
                    size="icon"
                    className="text-red-800"
                    title={t('chat.delete')}
                    aria-label={`${t('chat.delete')} « ${s.title} »`}
                    onClick={() => void props.onDelete(s)}
                    icon={<Trash2 aria-hidden="true" className="size-4" />}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.hasMore && (
        <Button variant="secondary" size="sm" busy={props.loadingMore} onClick={props.onMore}>
          {t('chat.loadMore')}
        </Button>
      )}
    </nav>
  );
}
