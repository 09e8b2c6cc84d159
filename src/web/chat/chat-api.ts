import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.js';
import type { SessionList, SessionWithMessages, UserStats } from './types.js';

const PAGE = 30;
const id = (value: string) => encodeURIComponent(value);

/** The chat coach's API paths, written once. */
export const chatUrls = {
  sessions: ({ q, cursor, limit = PAGE }: { q?: string; cursor?: string | null; limit?: number } = {}) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (q) query.set('q', q);
    if (cursor) query.set('cursor', cursor);
    return `/api/chat/sessions?${query}`;
  },
  session: (sessionId: string) => `/api/chat/sessions/${id(sessionId)}`,
  send: '/api/chat/send',
  stats: '/api/user/stats',
} as const;

/** Query keys of the chat: the list (per search), one conversation, the user's stats. */
export const chatKeys = {
  all: ['chat'] as const,
  lists: () => [...chatKeys.all, 'sessions'] as const,
  list: (q: string) => [...chatKeys.lists(), { q }] as const,
  session: (sessionId: string) => [...chatKeys.all, 'session', sessionId] as const,
  stats: () => [...chatKeys.all, 'stats'] as const,
};

/** The conversations matching `q`, a page at a time (cursor). */
export const useChatSessions = (q: string) =>
  useInfiniteQuery({
    queryKey: chatKeys.list(q),
    queryFn: ({ pageParam, signal }) => api<SessionList>('GET', chatUrls.sessions({ q, cursor: pageParam }), undefined, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });

export const useChatSession = (sessionId: string | null) =>
  useQuery({
    queryKey: chatKeys.session(sessionId ?? ''),
    queryFn: async ({ signal }) => (await api<{ session: SessionWithMessages }>('GET', chatUrls.session(sessionId!), undefined, signal)).session,
    enabled: sessionId !== null,
  });

export const useChatStats = () =>
  useQuery({ queryKey: chatKeys.stats(), queryFn: async ({ signal }) => (await api<{ stats: UserStats }>('GET', chatUrls.stats, undefined, signal)).stats });

export function useRenameChat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sessionId, title }: { sessionId: string; title: string }) => api('PATCH', chatUrls.session(sessionId), { title }),
    onSuccess: (_data, { sessionId }) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: chatKeys.lists() }), queryClient.invalidateQueries({ queryKey: chatKeys.session(sessionId) })]),
  });
}

export function useDeleteChat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api('DELETE', chatUrls.session(sessionId)),
    onSuccess: (_data, sessionId) => {
      queryClient.removeQueries({ queryKey: chatKeys.session(sessionId) });
      return queryClient.invalidateQueries({ queryKey: chatKeys.lists() });
    },
  });
}
