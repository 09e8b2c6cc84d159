import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/use-session.js';
import { api, ApiError } from './client.js';

export type Resource<T> = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; data: T };

/** GETs a path once (and on reload()); a 401 ends the local session so the guard sends to /login. */
export function useApiResource<T>(path: string) {
  const { markSignedOut } = useSession();
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api<T>('GET', path, undefined, controller.signal).then(
      (data) => setResource({ status: 'ready', data }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const error = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
        if (error.status === 401) markSignedOut();
        setResource({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [path, version, markSignedOut]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { resource, reload };
}
