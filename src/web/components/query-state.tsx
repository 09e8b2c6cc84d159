import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ErrorTextOptions } from '../api/error-text.js';
import { useErrorText } from '../api/use-error-text.js';
import { useT } from '../i18n/i18n-provider.js';
import { Alert } from './alert.js';
import { Button } from './button.js';
import { Loading } from './loading.js';

/** A query's three faces: loading, its error (in the user's words, with "Try again"), or its data. */
export function QueryState<T>({ query, errorTitle, errorOptions, children }: { query: UseQueryResult<T>; errorTitle: string; errorOptions?: ErrorTextOptions; children(data: T): ReactNode }) {
  const t = useT();
  const describe = useErrorText();
  if (query.isPending) return <Loading />;
  if (query.isError) {
    return (
      <div role="alert">
        <Alert tone="error" title={errorTitle}>
          <p>{describe(query.error, errorOptions)}</p>
          <Button variant="secondary" size="sm" className="self-start" busy={query.isFetching} onClick={() => void query.refetch()}>
            {t('app.retry')}
          </Button>
        </Alert>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}
