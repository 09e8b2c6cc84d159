import { useEffect, useRef, useState } from 'react';
import { Alert } from '../components/alert.js';
import { useT } from '../i18n/i18n-provider.js';
import type { VideoToken } from './types.js';

interface DailyFrame {
  on(event: 'left-meeting', handler: () => void): void;
  join(options: { url: string; token: string }): Promise<unknown>;
  leave(): Promise<unknown>;
  destroy(): Promise<void>;
}
interface DailyFactory {
  createFrame(parent: HTMLElement, options: { showLeaveButton: boolean; iframeStyle: Record<string, string> }): DailyFrame;
}

/**
 * A Daily room, through @daily-co/daily-js's prebuilt frame (its own pre-join screen,
 * devices, screenshare, chat and network indicator). Loaded on demand: the built-in rooms
 * never download it.
 */
export function DailyCall({ token, onLeave }: { token: VideoToken; onLeave(): void }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let frame: DailyFrame | null = null;
    let cancelled = false;
    void import('@daily-co/daily-js')
      .then((mod) => {
        // CommonJS interop: the factory is `default` (bundled) or `default.default` (typed as CJS).
        const Daily = ((mod.default as unknown as { default?: unknown }).default ?? mod.default) as unknown as DailyFactory;
        if (cancelled || !container.current) return;
        const f = Daily.createFrame(container.current, { showLeaveButton: true, iframeStyle: { width: '100%', height: '70vh', border: '0' } });
        frame = f;
        f.on('left-meeting', () => onLeave());
        return f.join({ url: token.roomUrl, token: token.token });
      })
      .catch(() => setError(t('call.dailyFailed')));
    return () => {
      cancelled = true;
      void frame?.destroy();
    };
  }, [token, onLeave, t]);
  return (
    <div className="flex flex-col gap-2">
      {error && (
        <div role="alert">
          <Alert>{error}</Alert>
        </div>
      )}
      <div ref={container} />
    </div>
  );
}
