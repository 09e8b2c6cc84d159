import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { asApiError, isAbortError } from '../api/client.js';
import { useErrorText } from '../api/use-error-text.js';
import { useSession } from '../auth/use-session.js';
import { FormAlert } from '../components/alert.js';
import { PageHeader } from '../components/card.js';
import { usePageTitle } from '../components/use-page-title.js';
import { useT } from '../i18n/i18n-provider.js';
import { chatKeys, useChatSession, useChatSessions, useChatStats, useDeleteChat, useRenameChat } from './chat-api.js';
import { Composer } from './composer.js';
import { CreditCounter, OfflineBadge, UpgradePrompt } from './credit-status.js';
import { MessageList, type DisplayMessage } from './message-list.js';
import { SessionList } from './session-list.js';
import { streamSend } from './stream-send.js';
import type { ChatMessage, ChatSession, SessionWithMessages, UserStats } from './types.js';

const PENDING_USER = 'pending-user';
const PENDING_REPLY = 'pending-reply';

const toDisplay = (m: ChatMessage): DisplayMessage => ({ id: m.id, role: m.role, content: m.content, status: m.status });

/** The search box's text, once the user has stopped typing for `delayMs`. */
function useDebounced(value: string, delayMs: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), value ? delayMs : 0);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/**
 * The chat coach: conversations on the left, the conversation and the composer on the right.
 * Lists, conversations and stats are queries (chat-api.ts); the exchange being streamed is
 * local until the server has saved it.
 */
export function ChatPage() {
  const t = useT();
  const describe = useErrorText();
  const queryClient = useQueryClient();
  const { markSignedOut } = useSession();
  usePageTitle(t('chat.title'));

  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** The exchange in flight (or just saved, until the conversation's query has it). */
  const [pending, setPending] = useState<DisplayMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [noCredits, setNoCredits] = useState<unknown>(null);
  const abortRef = useRef<AbortController | null>(null);

  const sessions = useChatSessions(query);
  const conversation = useChatSession(selectedId);
  const stats = useChatStats();
  const rename = useRenameChat();
  const remove = useDeleteChat();
  const failure = error ?? sessions.error ?? conversation.error ?? stats.error ?? rename.error ?? remove.error;

  const saved = conversation.data?.messages ?? [];
  const savedIds = new Set(saved.map((m) => m.id));
  const messages = [...saved.map(toDisplay), ...pending.filter((m) => !savedIds.has(m.id))];

  const select = (id: string | null) => {
    abortRef.current?.abort();
    setError(null);
    setPending([]);
    setSelectedId(id);
  };

  const send = async (text: string) => {
    setError(null);
    rename.reset();
    remove.reset();
    const controller = new AbortController();
    abortRef.current = controller;
    setBusy(true);
    setPending([
      { id: PENDING_USER, role: 'USER', content: text, status: 'complete' },
      { id: PENDING_REPLY, role: 'ASSISTANT', content: '', status: 'streaming' },
    ]);
    const onDelta = (delta: string) => setPending((m) => m.map((x) => (x.id === PENDING_REPLY ? { ...x, content: x.content + delta } : x)));
    try {
      const result = await streamSend({ ...(selectedId ? { sessionId: selectedId } : {}), message: text }, onDelta, controller.signal);
      setPending([toDisplay(result.userMessage), toDisplay(result.assistantMessage)]);
      queryClient.setQueryData<SessionWithMessages>(chatKeys.session(result.sessionId), (old) =>
        old ? { ...old, messages: [...old.messages, result.userMessage, result.assistantMessage] } : old,
      );
      setSelectedId(result.sessionId);
      queryClient.setQueryData<UserStats>(chatKeys.stats(), (s) => (s ? { ...s, remainingCredits: result.remainingCredits } : s));
    } catch (err) {
      if (isAbortError(err)) {
        // Stopped: the server keeps the partial reply, marked incomplete, and charges nothing.
        setPending((m) => m.map((x) => (x.id === PENDING_REPLY ? { ...x, status: 'incomplete' } : x)));
      } else {
        setPending([]);
        // The send is a stream, not a query: a 401 ends the session here (queries do it in use-session).
        if (asApiError(err).status === 401) markSignedOut();
        if (asApiError(err).code === 'NO_CREDITS') {
          setNoCredits(err);
          queryClient.setQueryData<UserStats>(chatKeys.stats(), (s) => (s ? { ...s, remainingCredits: 0, status: 'NO_CREDITS' } : s));
        } else {
          setError(err);
        }
      }
    } finally {
      abortRef.current = null;
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: chatKeys.lists() });
    }
  };

  // Failures show through the mutations' `error` (below), in the user's language.
  const onRename = async (id: string, title: string) => {
    setError(null);
    await rename.mutateAsync({ sessionId: id, title }).catch(() => undefined);
  };

  const onDelete = async (session: ChatSession) => {
    if (!window.confirm(t('chat.deleteConfirm', { title: session.title }))) return;
    if (session.id === selectedId) select(null);
    setError(null);
    await remove.mutateAsync(session.id).catch(() => undefined);
  };

  const outOfCredits = noCredits !== null || stats.data?.remainingCredits === 0;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t('chat.title')} intro={t('chat.intro')}>
        <CreditCounter remaining={stats.data?.remainingCredits} />
      </PageHeader>
      <OfflineBadge />
      <div className="grid gap-6 md:grid-cols-[18rem_1fr]">
        <SessionList
          sessions={sessions.data?.pages.flatMap((p) => p.sessions) ?? []}
          loaded={sessions.data !== undefined}
          selectedId={selectedId}
          search={search}
          onSearch={setSearch}
          onSelect={select}
          onNew={() => select(null)}
          onRename={onRename}
          onDelete={onDelete}
          hasMore={sessions.hasNextPage}
          loadingMore={sessions.isFetchingNextPage}
          onMore={() => void sessions.fetchNextPage()}
        />
        <section aria-label={t('chat.messages')} className="flex min-h-[28rem] flex-col overflow-hidden rounded-xl border border-slate-200 bg-slate-50">
          <div role="log" aria-live="polite" aria-busy={busy} className="max-h-[60vh] flex-1 overflow-y-auto">
            <MessageList messages={messages} />
          </div>
          {outOfCredits && stats.data && <UpgradePrompt plan={stats.data.plan} error={noCredits} />}
          {failure !== null && failure !== undefined && (
            <div className="px-3">
              <FormAlert title={t('chat.failed')} message={describe(failure, { fieldLabels: { title: t('chat.rename'), message: t('chat.messageLabel') } })} />
            </div>
          )}
          <Composer busy={busy} disabled={false} onSend={(text) => void send(text)} onStop={() => abortRef.current?.abort()} />
        </section>
      </div>
    </div>
  );
}
