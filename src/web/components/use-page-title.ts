import { useEffect } from 'react';

/** Sets the tab title: "<page> · Coach Hub". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Coach Hub`;
  }, [title]);
}
