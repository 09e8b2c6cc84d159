import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyScope, Plan } from '../../shared/accounts.js';
import { api } from '../api/client.js';
import type { ApiKey, User } from '../api/types.js';
import type { CreditsView } from '../chat/types.js';
import { voiceUsageKeys } from '../voice/voice-usage.js';

const id = (value: string) => encodeURIComponent(value);

/** The administration API paths, written once. */
export const adminUrls = {
  users: '/api/users',
  user: (userId: string) => `/api/users/${id(userId)}`,
  apiKeys: '/api/api-keys',
  apiKey: (keyId: string) => `/api/api-keys/${id(keyId)}`,
  credits: (userId: string) => `/api/admin/users/${id(userId)}/credits`,
  adjustCredits: (userId: string) => `/api/admin/users/${id(userId)}/credits/adjust`,
} as const;

/** Query keys of the administration page. */
export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  apiKeys: () => [...adminKeys.all, 'apiKeys'] as const,
  credits: (userId: string) => [...adminKeys.all, 'credits', userId] as const,
};

export const useUsers = () => useQuery({ queryKey: adminKeys.users(), queryFn: ({ signal }) => api<{ users: User[] }>('GET', adminUrls.users, undefined, signal) });

export const useApiKeys = () => useQuery({ queryKey: adminKeys.apiKeys(), queryFn: ({ signal }) => api<{ apiKeys: ApiKey[] }>('GET', adminUrls.apiKeys, undefined, signal) });

export const useCredits = (userId: string) =>
  useQuery({ queryKey: adminKeys.credits(userId), queryFn: ({ signal }) => api<CreditsView>('GET', adminUrls.credits(userId), undefined, signal), enabled: userId !== '' });

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: ApiKeyScope[] }) => api<{ key: string; apiKey: ApiKey }>('POST', adminUrls.apiKeys, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys() }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: ApiKey) => api('DELETE', adminUrls.apiKey(key.id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys() }),
  });
}

/** A user's plan: the users list, that user's credits and voice minutes change with it. */
export function useChangePlan(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (plan: Plan) => api<{ user: User }>('PATCH', adminUrls.user(userId), { plan }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.credits(userId) }),
        queryClient.invalidateQueries({ queryKey: voiceUsageKeys.of(userId) }),
      ]),
  });
}

export function useAdjustCredits(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { amount: number; reason: string }) => api('POST', adminUrls.adjustCredits(userId), body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.credits(userId) }),
  });
}
