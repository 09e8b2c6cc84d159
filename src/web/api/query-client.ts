import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client.js';

/** Only what may pass on a second try is retried: the network, or the server failing (5xx). */
function transient(error: unknown): boolean {
  return error instanceof ApiError && (error.isNetwork || error.status >= 500);
}

/**
 * The app's one QueryClient. Reads stay fresh for 30 s (pages invalidate what their writes
 * change), are not refetched on window focus, and are retried twice only when transient.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && transient(error),
      },
      mutations: { retry: false },
    },
  });
}
