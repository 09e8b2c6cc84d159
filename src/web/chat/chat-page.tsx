import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/form-alert.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { Composer } from './composer.js';
import { CreditCounter, OfflineBadge, UpgradePrompt } from './credit-status.js';
import { MessageList, type DisplayMessage } from './message-list.js';
import { SessionList } from './session-list.js';
import { streamSend } from './stream-send.js';
import type { ChatMessage, ChatSession, SessionList as SessionListResponse, SessionWithMessages, UserStats } from './types.js';

const PAGE = 30;
const PENDING_USER = 'pending-user';
const PENDING_REPLY = 'pending-reply';

const toDisplay = (m: ChatMessage): DisplayMessage => ({ id: m.id, role: m.role, content: m.content, status: m.status });
const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

/** The chat coach: conversations on the left, the conversation and the composer on the right. */
export function ChatPage() {
  const t = useT();
  const { markSignedOut } = useSession();
  usePageTitle(t('chat.title'));

  const [search, setSearch] = useState('');
  const [sessions, setSessions] = useState<ChatSession[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [messages, setMessages] = useState<DisplayMessage[]>([]);
  const [stats, setStats] = useState<UserStats | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [noCredits, setNoCredits] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  /** The session whose messages are already on screen (set after a send creates it). */
  const shownRef = useRef<string | null>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 401) markSignedOut();
      setError(err instanceof Error ? err.message : String(err));
    },
    [markSignedOut],
  );

  const sessionsUrl = (cursor?: string) => `/api/chat/sessions?limit=${PAGE}${search ? `&q=${encodeURIComponent(search)}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const url = `/api/chat/sessions?limit=${PAGE}${search ? `&q=${encodeURIComponent(search)}` : ''}`;
      api<SessionListResponse>('GET', url, undefined, controller.signal).then((data) => {
        setSessions(data.sessions);
        setNextCursor(data.nextCursor);
      }, fail);
    }, search ? 250 : 0);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, listVersion, fail]);

  useEffect(() => {
    const controller = new AbortController();
    api<{ stats: UserStats }>('GET', '/api/user/stats', undefined, controller.signal).then((data) => setStats(data.stats), fail);
    return () => controller.abort();
  }, [fail]);

  useEffect(() => {
    if (selectedId === null || shownRef.current === selectedId) return;
    const controller = new AbortController();
    api<{ session: SessionWithMessages }>('GET', `/api/chat/sessions/${selectedId}`, undefined, controller.signal).then((data) => {
      shownRef.current = selectedId;
      setMessages(data.session.messages.map(toDisplay));
    }, fail);
    return () => controller.abort();
  }, [selectedId, fail]);

  const select = (id: string | null) => {
    abortRef.current?.abort();
    setError(null);
    if (id === null) {
      shownRef.current = null;
      setMessages([]);
    }
    setSelectedId(id);
  };

  const send = async (text: string) => {
    setError(null);
    const controller = new AbortController();
    abortRef.current = controller;
    setBusy(true);
    setMessages((m) => [
      ...m,
      { id: PENDING_USER, role: 'USER', content: text, status: 'complete' },
      { id: PENDING_REPLY, role: 'ASSISTANT', content: '', status: 'streaming' },
    ]);
    const onDelta = (delta: string) =>
      setMessages((m) => m.map((x) => (x.id === PENDING_REPLY ? { ...x, content: x.content + delta } : x)));
    try {
      const result = await streamSend({ ...(selectedId ? { sessionId: selectedId } : {}), message: text }, onDelta, controller.signal);
      setMessages((m) => [...m.filter((x) => x.id !== PENDING_USER && x.id !== PENDING_REPLY), toDisplay(result.userMessage), toDisplay(result.assistantMessage)]);
      shownRef.current = result.sessionId;
      setSelectedId(result.sessionId);
      setStats((s) => (s ? { ...s, remainingCredits: result.remainingCredits } : s));
    } catch (err) {
      if (isAbort(err)) {
        // Stopped: the server keeps the partial reply, marked incomplete, and charges nothing.
        setMessages((m) => m.map((x) => (x.id === PENDING_REPLY ? { ...x, status: 'incomplete' } : x)));
      } else {
        setMessages((m) => m.filter((x) => x.id !== PENDING_USER && x.id !== PENDING_REPLY));
        if (err instanceof ApiError && err.code === 'NO_CREDITS') {
          setNoCredits(true);
          setStats((s) => (s ? { ...s, remainingCredits: 0, status: 'NO_CREDITS' } : s));
        } else {
          fail(err);
        }
      }
    } finally {
      abortRef.current = null;
      setBusy(false);
      setListVersion((v) => v + 1);
    }
  };

  const rename = async (id: string, title: string) => {
    try {
      await api('PATCH', `/api/chat/sessions/${id}`, { title });
      setListVersion((v) => v + 1);
    } catch (err) {
      fail(err);
    }
  };

  const remove = async (session: ChatSession) => {
    if (!window.confirm(t('chat.deleteConfirm', { title: session.title }))) return;
    try {
      await api('DELETE', `/api/chat/sessions/${session.id}`);
      if (session.id === selectedId) select(null);
      setListVersion((v) => v + 1);
    } catch (err) {
      fail(err);
    }
  };

  const more = async () => {
    if (!nextCursor) return;
    try {
      const data = await api<SessionListResponse>('GET', sessionsUrl(nextCursor));
      setSessions((s) => [...s, ...data.sessions]);
      setNextCursor(data.nextCursor);
    } catch (err) {
      fail(err);
    }
  };

  const outOfCredits = noCredits || stats?.remainingCredits === 0;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold text-slate-900">{t('chat.title')}</h1>
          <p className="mt-1 text-lg text-slate-700">{t('chat.intro')}</p>
        </div>
        <CreditCounter remaining={stats?.remainingCredits} />
      </div>
      <OfflineBadge />
      <div className="grid gap-6 md:grid-cols-[18rem_1fr]">
        <SessionList
          sessions={sessions}
          selectedId={selectedId}
          search={search}
          onSearch={setSearch}
          onSelect={select}
          onNew={() => select(null)}
          onRename={rename}
          onDelete={remove}
          hasMore={nextCursor !== null}
          onMore={() => void more()}
        />
        <section aria-label={t('chat.messages')} className="flex min-h-[28rem] flex-col overflow-hidden rounded-xl border border-slate-200 bg-slate-50">
          <div role="log" aria-live="polite" aria-busy={busy} className="max-h-[60vh] flex-1 overflow-y-auto">
            <MessageList messages={messages} />
          </div>
          {outOfCredits && stats && <UpgradePrompt plan={stats.plan} />}
          {error && (
            <div className="px-3">
              <FormAlert title={t('chat.failed')} message={error} />
            </div>
          )}
          <Composer busy={busy} disabled={false} onSend={(text) => void send(text)} onStop={() => abortRef.current?.abort()} />
        </section>
      </div>
    </div>
  );
}
